// Dasi agent console. Every text from a founder or the server is shown with textContent.
"use strict";

const $ = (id) => document.getElementById(id);
const SECTIONS = [
  ["safety", "안전 먼저"],
  ["situation", "파악된 상황"],
  ["opening", "첫 마디"],
  ["questions", "더 여쭤볼 것"],
  ["programs", "맞는 지원"],
  ["remedies", "걸림돌과 해결 방법"],
  ["together", "함께·따로 받는 지원"],
  ["open_calls", "지금 열린 공고"],
  ["referral", "연결할 곳"],
  ["sources", "출처·기준일"],
];
const WHO = { founder: "방문자", dasi: "다시(Dasi)", agent: "상담사" };
let selected = null;
let scriptText = "";
let timers = [];

async function api(path, body) {
  const options = { credentials: "same-origin", headers: { "X-Dasi-Console": "1" } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  let data = {};
  try { data = await response.json(); } catch (error) { data = {}; }
  if (response.status === 401 && path !== "/console/login") { showLogin(); }
  if (!response.ok) { throw new Error(data.error || "요청을 처리하지 못했어요. 잠시 후 다시 시도해 주세요."); }
  return data;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function showLogin() {
  timers.forEach(clearInterval);
  timers = [];
  $("app").hidden = true;
  $("login").hidden = false;
}

// After a login asked for by another console page (?next=/console/insights…): back to it.
// Only a path of this console is followed, never another site.
function goBack() {
  const next = new URLSearchParams(window.location.search).get("next");
  if (!next) return false;
  const target = new URL(next, window.location.origin);
  if (target.origin !== window.location.origin || !target.pathname.startsWith("/console/")) return false;
  window.location.assign(target.pathname + target.search);
  return true;
}

async function showApp(me) {
  $("login").hidden = true;
  $("app").hidden = false;
  $("agent-name").textContent = `${me.agent} 상담사`;
  const regions = $("f-region");
  if (regions.options.length === 1) {
    me.regions.forEach((region) => {
      const option = element("option", region.name);
      option.value = region.id;
      regions.appendChild(option);
    });
  }
  await refreshQueue();
  timers.push(setInterval(refreshQueue, 2500));
  timers.push(setInterval(refreshChat, 2000));
}

function renderScript(script) {
  const container = $("script-sections");
  container.replaceChildren();
  SECTIONS.forEach(([key, title]) => {
    if (key === "safety" && !script[key]) return;  // shown only when the caller spoke of a crisis
    if (key === "together" && !(script[key] || []).length) return;  // only when two supports meet
    if (key === "open_calls" && !(script[key] || []).length) return;  // only when a stored call fits
    container.appendChild(element("h3", title));
    const value = script[key];
    if (Array.isArray(value)) {
      const list = element("ul");
      (value.length ? value : ["없음"]).forEach((line) => list.appendChild(element("li", line)));
      container.appendChild(list);
    } else {
      container.appendChild(element("p", value || "아직 없음"));
    }
  });
  scriptText = script.text;
  $("script").hidden = false;
  $("copy-status").textContent = "";
}

function formFacts() {
  const facts = {};
  ["region", "business_type", "credit_state", "goal"].forEach((name) => {
    const value = $(`f-${name}`).value;
    if (value) facts[name] = value;
  });
  const years = $("f-years_since_closure").value;
  if (years !== "") facts.years_since_closure = Number(years);
  ["tax_arrears", "insurance_arrears", "restarted"].forEach((name) => {
    if ($(`f-${name}`).checked) facts[name] = true;
  });
  return facts;
}

async function copyScript() {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(scriptText);
    } else {
      const area = element("textarea");
      area.value = scriptText;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    $("copy-status").textContent = "복사했어요.";
  } catch (error) {
    $("copy-status").textContent = "복사하지 못했어요. 글을 직접 선택해 복사해 주세요.";
  }
}

function waited(seconds) {
  if (seconds < 60) return `${seconds}초 대기`;
  return `${Math.floor(seconds / 60)}분 대기`;
}

async function refreshQueue() {
  let data;
  try { data = await api("/console/api/handoffs"); } catch (error) { return; }
  const list = $("queue");
  // the list is drawn again on every poll: the keyboard stays on the entry it was on
  const focused = document.activeElement && document.activeElement.closest("#queue li");
  const keep = focused ? focused.dataset.conversation : null;
  list.replaceChildren();
  data.handoffs.forEach((item) => {
    const row = element("li");
    row.dataset.conversation = item.conversation_id;
    // each entry is one button: a keyboard reaches it with Tab and opens it with Enter or Space
    const open = element("button", undefined, "open-chat");
    open.type = "button";
    if (item.conversation_id === selected) {
      row.classList.add("selected");
      open.setAttribute("aria-current", "true");
    }
    open.appendChild(element("strong", item.label));
    const status = item.status === "waiting" ? `연결 대기 · ${waited(item.waiting_seconds)}` : `${item.agent} 상담사 상담 중`;
    open.appendChild(element("span", status, "status"));
    open.appendChild(element("span", item.summary, "summary"));
    if (item.said.length) open.appendChild(element("span", `“${item.said[item.said.length - 1]}”`, "said"));
    open.addEventListener("click", () => openChat(item.conversation_id));
    row.appendChild(open);
    list.appendChild(row);
    if (item.conversation_id === keep) open.focus();
  });
  $("queue-count").textContent = data.handoffs.length ? `(${data.handoffs.length})` : "";
  $("queue-empty").hidden = data.handoffs.length > 0;
}

async function openChat(conversationId) {
  selected = conversationId;
  $("chat-error").textContent = "";
  shown = { conversation: null, count: 0 };
  document.querySelectorAll("#queue li").forEach((row) => {
    const current = row.dataset.conversation === conversationId;
    row.classList.toggle("selected", current);
    const open = row.querySelector("button");
    if (open && current) open.setAttribute("aria-current", "true");
    else if (open) open.removeAttribute("aria-current");
  });
  await refreshChat();
  $("chat-title").focus();  // the keyboard (and a screen reader) continues in the conversation
}

let lastChat = null;
// What the transcript shows: new lines are appended, so its live region reads only them.
let shown = { conversation: null, count: 0 };

async function refreshChat() {
  if (!selected) return;
  let chat;
  try {
    chat = await api(`/console/api/handoffs/${encodeURIComponent(selected)}`);
  } catch (error) {
    $("chat").hidden = true;
    selected = null;
    return;
  }
  lastChat = chat;
  $("chat").hidden = false;
  $("chat-title").textContent = `${chat.label} · ${chat.status === "waiting" ? "연결 대기" : `${chat.agent} 상담사 상담 중`}`;
  $("chat-summary").textContent = `상황: ${chat.summary}`;
  const transcript = $("transcript");
  const atBottom = transcript.scrollTop + transcript.clientHeight >= transcript.scrollHeight - 4;
  if (shown.conversation !== selected || chat.messages.length < shown.count) {
    transcript.replaceChildren();
    shown = { conversation: selected, count: 0 };
  }
  chat.messages.slice(shown.count).forEach((message) => {
    const line = element("li", undefined, message.who);
    const who = message.who === "agent" ? `${message.agent} 상담사` : WHO[message.who];
    line.appendChild(element("span", who, "who"));
    line.appendChild(document.createTextNode(message.text));
    transcript.appendChild(line);
  });
  shown.count = chat.messages.length;
  if (atBottom) transcript.scrollTop = transcript.scrollHeight;
  const mine = chat.status === "active";
  $("claim").hidden = mine;
  $("reply-form").hidden = !mine;
  $("handback").hidden = !mine;
}

async function act(action) {
  if (!selected) return;
  $("chat-error").textContent = "";
  try {
    await action();
    await refreshChat();
    await refreshQueue();
  } catch (error) {
    $("chat-error").textContent = error.message;
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("login-error").textContent = "";
    try {
      await api("/console/login", { username: $("username").value, password: $("password").value });
      $("password").value = "";
      if (goBack()) return;
      showApp(await api("/console/api/me"));
    } catch (error) {
      $("login-error").textContent = error.message;
    }
  });
  $("logout").addEventListener("click", async () => {
    await api("/console/logout", {}).catch(() => {});
    showLogin();
  });
  $("script-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("script-error").textContent = "";
    try {
      renderScript(await api("/console/api/script", { text: $("situation").value, form: formFacts() }));
    } catch (error) {
      $("script-error").textContent = error.message;
    }
  });
  $("copy-script").addEventListener("click", copyScript);
  // a button that hides itself would drop the keyboard on the page's top: focus moves on
  $("claim").addEventListener("click", () => act(async () => {
    await api(`/console/api/handoffs/${encodeURIComponent(selected)}/claim`, {});
  }).then(() => { if (!$("reply-form").hidden) $("reply-text").focus(); }));
  $("handback").addEventListener("click", () => act(async () => {
    await api(`/console/api/handoffs/${encodeURIComponent(selected)}/handback`, {});
    selected = null;
    $("chat").hidden = true;
  }).then(() => $("queue-title").focus()));
  $("use-script").addEventListener("click", () => { if (lastChat) renderScript(lastChat.script); });
  // Ctrl+Enter sends from the text box (Enter alone starts a new line)
  $("reply-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      $("reply-form").requestSubmit();
    }
  });
  $("reply-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("reply-text").value.trim();
    if (!text) return;
    act(async () => {
      await api(`/console/api/handoffs/${encodeURIComponent(selected)}/reply`, { text });
      $("reply-text").value = "";
    });
  });
  try {
    showApp(await api("/console/api/me"));
  } catch (error) {
    showLogin();
  }
});
