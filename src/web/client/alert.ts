import { storePageIds as ids } from "../../shared/storePageIds.ts";
import { byId, storage } from "./common.ts";

/**
 * The new-order alert: a short chime (WebAudio, which browsers start only after a tap), the
 * flashing page title, and the 알림음 button.
 */

const KEY_SOUND = "so:sound";

let soundButton: HTMLButtonElement;
let audio: AudioContext | null = null;
let soundOn = true;
let baseTitle = "";
let flashTimer: ReturnType<typeof setInterval> | undefined;
let flashUntil = 0;
let flashText = "";
let lastBeep = 0;

export function renderSound() {
  const locked = soundOn && audio?.state !== "running";
  soundButton.setAttribute("aria-pressed", String(soundOn));
  soundButton.dataset.locked = String(locked);
  // Same width in every state: the tap that unlocks the audio must not move the buttons.
  soundButton.textContent = !soundOn ? "알림음 끔" : locked ? "알림음 켜기" : "알림음 켬";
  soundButton.title = !soundOn
    ? "새 주문 알림음이 꺼져 있습니다. 누르면 켭니다."
    : locked
      ? "브라우저는 화면을 한 번 눌러야 소리를 냅니다. 눌러서 알림음을 켜 주세요."
      : "새 주문이 오면 알림음이 울립니다. 누르면 끕니다.";
}

/** Browsers start audio only after a user gesture: every tap on the page tries. */
function unlockAudio() {
  if (!soundOn) return;
  try {
    audio ??= new AudioContext();
    if (audio.state !== "running") void audio.resume().then(renderSound, renderSound);
  } catch {
    // no WebAudio here: the title still flashes
  }
  renderSound();
}

function beep() {
  if (!soundOn || !audio || audio.state !== "running") return;
  const now = Date.now();
  if (now - lastBeep < 1500) return; // a burst of orders is one beep
  lastBeep = now;
  try {
    const t0 = audio.currentTime + 0.02;
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, t0);
    [880, 1175, 1568].forEach((freq, i) => {
      const start = t0 + i * 0.16;
      const osc = audio!.createOscillator();
      osc.type = "sine";
      osc.frequency.setValueAtTime(freq, start);
      osc.connect(gain);
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.45, start + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.14);
      osc.start(start);
      osc.stop(start + 0.15);
    });
  } catch {
    // the beep is a nicety; the card and the title still show the order
  }
}

export function stopFlash() {
  clearInterval(flashTimer);
  flashTimer = undefined;
  document.title = baseTitle;
}

function flashTitle(text: string) {
  flashText = text;
  flashUntil = Date.now() + 60_000;
  document.title = text;
  if (flashTimer !== undefined) return;
  flashTimer = setInterval(() => {
    if (Date.now() > flashUntil) return stopFlash();
    document.title = document.title === baseTitle ? flashText : baseTitle;
  }, 1000);
}

/** Shows or hides the 알림음 button (the day view has it, the login view not). */
export function showSoundButton(shown: boolean) {
  soundButton.hidden = !shown;
}

/** A new paid order reached the board: count it, flash the title, chime. */
export function alertNewOrder(pickupNumber: number | null) {
  const body = document.body;
  body.dataset.alerts = String(Number(body.dataset.alerts ?? "0") + 1);
  flashTitle(`● 새 주문 ${pickupNumber ?? ""}번 · 심플오더`);
  beep();
}

/** Finds the 알림음 button, reads the saved choice and listens for taps (once, at page start). */
export function startAlert() {
  soundButton = byId<HTMLButtonElement>(ids.sound);
  soundOn = storage.get(KEY_SOUND) !== "off";
  baseTitle = document.title;
  soundButton.addEventListener("click", () => {
    const locked = soundButton.dataset.locked === "true";
    soundOn = locked ? true : !soundOn;
    storage.set(KEY_SOUND, soundOn ? "on" : "off");
    unlockAudio();
    renderSound();
    if (soundOn) {
      lastBeep = 0;
      // a short sample so the owner hears how loud it is
      setTimeout(beep, 50);
    }
  });
  // Any tap unlocks the audio; it also means someone is looking: stop the title flashing.
  for (const type of ["pointerdown", "keydown"] as const) {
    document.addEventListener(
      type,
      () => {
        unlockAudio();
        if (document.visibilityState === "visible") stopFlash();
      },
      { capture: true },
    );
  }
}
