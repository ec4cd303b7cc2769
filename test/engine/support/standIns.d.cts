import type { INodeType } from 'n8n-workflow';

export declare const standInNodeTypes: Record<string, INodeType>;
