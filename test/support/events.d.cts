export declare function whsec(phrase: string | Buffer): string;
export declare const SIGNING_SECRET: string;
export declare const PREVIOUS_SECRET: string;
export declare function flowEvent(overrides?: Record<string, unknown>): Record<string, unknown>;
export declare function standardWebhookHeaders(
	body: string,
	options?: { id?: string; secret?: string; at?: Date },
): Record<string, string>;
export declare function signedRequest(
	event: unknown,
	options?: { id?: string; secret?: string; at?: Date; contentType?: string },
): { headers: Record<string, string>; body: string; rawBody: Buffer };
export declare function publicKeySender(name: 'discord' | 'sendgrid'): {
	publicKey: string;
	headers: (body: string, timestamp: number) => Record<string, string>;
};
