export declare function replaceGlobalFetch(standIn: typeof fetch): () => void;
