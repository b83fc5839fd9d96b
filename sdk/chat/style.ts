// The panel's stylesheet, inside its shadow root: the storefront's CSS cannot
// reach in and this cannot leak out. Phone first: the whole screen on a phone,
// a card at the bottom right on a wider screen. Inputs at 16px so iOS does not zoom.
export const CSS = `
:host{all:initial}
*{box-sizing:border-box;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
.panel{position:fixed;z-index:2147483647;inset:0;display:flex;flex-direction:column;background:#f6f6f8;color:#222;font-size:15px;line-height:1.5}
@media (min-width:600px){.panel{inset:auto 20px 20px auto;width:380px;height:min(600px,calc(100vh - 40px));border-radius:12px;box-shadow:0 8px 32px #0003;overflow:hidden}}
.panel[hidden],[hidden]{display:none!important}
header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:#3b6fd8;color:#fff}
header b{font-size:16px}
.status{flex:1;font-size:13px;opacity:.9;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
button{font:inherit;cursor:pointer;border:0;border-radius:8px;padding:8px 14px;background:#3b6fd8;color:#fff}
header button{background:none;font-size:22px;line-height:1;padding:0 4px}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;-webkit-overflow-scrolling:touch}
.msg{max-width:80%;padding:8px 12px;border-radius:12px;background:#fff;white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.msg.me{align-self:flex-end;background:#3b6fd8;color:#fff}
.msg.system{align-self:center;background:none;color:#777;font-size:13px}
.msg small{display:block;font-size:11px;opacity:.7}
.msg.pending small::after{content:" …"}
.card{align-self:stretch;background:#eef6ee;border:1px solid #cfe6cf;border-radius:12px;padding:12px}
.card code{font-size:20px;letter-spacing:.12em;font-weight:700}
.card p{margin:4px 0}
.note{padding:4px 14px;font-size:13px;color:#777}
form{display:flex;gap:8px;padding:10px;background:#fff;border-top:1px solid #e4e4e8;flex-wrap:wrap}
form p{margin:0;width:100%;font-size:14px}
textarea,input{flex:1;min-width:0;font:inherit;font-size:16px;padding:8px 10px;border:1px solid #d4d4da;border-radius:8px;resize:none;background:#fff;color:#222}
`;
