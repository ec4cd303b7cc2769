export interface ReceivedRequest {
	path: string;
	/** Header names in lower case, as Node.js keeps them. */
	headers: Record<string, string>;
	body: string;
}

export interface Answer {
	status: number;
	body?: string;
	headers?: Record<string, string>;
}

export interface Receiver {
	url(path: string): string;
	/** How `path` answers from now on; `count` is 1 for its first request. */
	on(
		path: string,
		answer: (request: ReceivedRequest, count: number) => Answer | Promise<Answer>,
	): void;
	requests(path: string): ReceivedRequest[];
	reset(): void;
	close(): Promise<void>;
}

export function startReceiver(): Promise<Receiver>;
