export { DataProviderAccessApi } from './credentials/DataProviderAccessApi.credentials';
export { DataProviderPublishKeyApi } from './credentials/DataProviderPublishKeyApi.credentials';
export { WebhookSigningSecretApi } from './credentials/WebhookSigningSecretApi.credentials';
export { ExternalDataProvider } from './nodes/ExternalDataProvider/ExternalDataProvider.node';
export { FlowWebhookTrigger } from './nodes/FlowWebhookTrigger/FlowWebhookTrigger.node';
export { Notify } from './nodes/Notify/Notify.node';
