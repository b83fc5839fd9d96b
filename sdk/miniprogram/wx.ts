// The part of WeChat's mini program API the tracker uses, typed from WeChat's
// documentation (developers.weixin.qq.com/miniprogram/dev/api/): wx.request,
// the synchronous storage calls, the launch options and wx.makePhoneCall. The
// `wx` global is read when the tracker is created, never at import.

/** What App.onLaunch / App.onShow receive, and wx.getLaunchOptionsSync answers. */
export interface LaunchOptions {
  path?: string; // the page the mini program opened on
  scene?: number; // the launch scene: 1047 scanned mini program code, 1007 a card in a one-to-one chat, …
  query?: Record<string, string | undefined>; // the launch query; a mini program code's payload is `query.scene`, URI-encoded
}

export interface RequestResult {
  statusCode: number;
  data: unknown; // parsed JSON when the answer is JSON (dataType 'json', the default)
}

export interface RequestOptions {
  url: string;
  method: 'POST';
  data: string;
  header: Record<string, string>;
  timeout?: number;
  success(res: RequestResult): void;
  fail(err: { errMsg: string }): void;
}

export interface Wx {
  request(o: RequestOptions): unknown;
  getStorageSync(key: string): unknown; // '' when the key holds nothing
  setStorageSync(key: string, value: unknown): void;
  getLaunchOptionsSync?(): LaunchOptions;
  makePhoneCall(o: { phoneNumber: string; success?: () => void; fail?: (err: unknown) => void }): unknown;
}

declare const wx: Wx | undefined;

/** The mini program's `wx`, or undefined outside a mini program (read as a plain global: older base libraries lack globalThis). */
export const wxApi = (): Wx | undefined => (typeof wx == 'object' && wx ? wx : undefined);
