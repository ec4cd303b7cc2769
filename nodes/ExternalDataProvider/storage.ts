import type { IDataObject } from 'n8n-workflow';

import { asPublishedDataset, type PublishedDataset } from '../../lib/dataset/publish';

/**
 * Where the published dataset lives in the node's static data: the data endpoint reads it, runs
 * and the publish webhook write it.
 */
const DATASET_KEY = 'dataset';

export function readDataset(staticData: IDataObject): PublishedDataset | undefined {
	return asPublishedDataset(staticData[DATASET_KEY]);
}

export function writeDataset(staticData: IDataObject, dataset: PublishedDataset): void {
	staticData[DATASET_KEY] = dataset as unknown as IDataObject;
}
