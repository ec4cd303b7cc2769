import type { IDataObject } from 'n8n-workflow';

import type { PublishLedger } from '../../lib/dataset/publishChannel';
import { asPublishedDataset, type PublishedDataset } from '../../lib/dataset/publish';

/** Where the published dataset lives in the node's static data. */
const DATASET_KEY = 'dataset';
/** Recent publishes through the webhook, kept beside it. */
const LEDGER_KEY = 'publishLedger';

export function storedDataset(staticData: IDataObject): PublishedDataset | undefined {
	return asPublishedDataset(staticData[DATASET_KEY]);
}

export function storeDataset(staticData: IDataObject, dataset: PublishedDataset): void {
	staticData[DATASET_KEY] = dataset as unknown as IDataObject;
}

export function storedLedger(staticData: IDataObject): PublishLedger | undefined {
	const ledger = staticData[LEDGER_KEY] as Partial<PublishLedger> | undefined;
	return Array.isArray(ledger?.recent) ? (ledger as PublishLedger) : undefined;
}

export function storeLedger(staticData: IDataObject, ledger: PublishLedger): void {
	staticData[LEDGER_KEY] = ledger as unknown as IDataObject;
}
