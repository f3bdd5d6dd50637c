import { html, raw } from "hono/html";
import type { Payment } from "./state.ts";

const won = (n: number) => `${n.toLocaleString("ko-KR")}원`;

const STYLE = `
body{margin:0;font-family:system-ui,-apple-system,"Apple SD Gothic Neo",sans-serif;background:#f5f5f5}
main{max-width:420px;margin:0 auto;padding:24px 20px;background:#fff;min-height:100vh;box-sizing:border-box}
h1{font-size:20px;margin:0 0 24px}h1 small{font-weight:normal;color:#888;font-size:14px}
.item{font-size:16px;margin:0 0 4px}.amount{font-size:28px;font-weight:bold;margin:0 0 32px}
form{margin:0 0 12px}button{width:100%;padding:16px;border:0;border-radius:12px;font-size:17px}
.approve{background:#ffeb00;color:#191919;font-weight:bold}.cancel{background:#eee}.fail{background:#fff;border:1px solid #ccc}
.note{color:#666;font-size:14px}`;

/** KakaoPay's payment screen, reduced to its three outcomes; plain forms, no script. */
export function payPage(pay: Payment) {
  const open = pay.status === "READY" || pay.status === "AUTH_PASSWORD";
  const action = (name: string) => `/_emulator/payments/${encodeURIComponent(pay.tid)}/${name}`;
  const buttons = html`
    <form method="post" action="${action("approve")}"><button class="approve">결제하기</button></form>
    <form method="post" action="${action("cancel")}"><button class="cancel">취소</button></form>
    <form method="post" action="${action("fail")}"><button class="fail">실패</button></form>
    <p class="note">에뮬레이터입니다. 실제로 돈이 나가지 않습니다.</p>`;
  return page(html`
    <h1>카카오페이 결제 <small>(에뮬레이터)</small></h1>
    <p class="item">${pay.item_name}${pay.quantity > 1 ? ` · ${pay.quantity}개` : ""}</p>
    <p class="amount">${won(pay.amount.total)}</p>
    ${open ? buttons : html`<p class="note">이 결제는 더 진행할 수 없습니다 (${pay.status}).</p>`}`);
}

export function missingPage() {
  return page(html`<h1>카카오페이 결제 <small>(에뮬레이터)</small></h1>
    <p class="note">결제 정보를 찾을 수 없습니다.</p>`);
}

function page(body: ReturnType<typeof html>) {
  return html`<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>카카오페이 결제 (에뮬레이터)</title>
<style>${raw(STYLE)}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}
