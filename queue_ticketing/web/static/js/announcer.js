// Call-outs on the waiting-room display: a chime, then (optionally) the call spoken in Dutch and
// in the visitor's language. Announcements wait their turn: one never cuts another off, and each
// names the desk.

const SPEECH_LOCALES = { nl: "nl-NL", en: "en-GB", tr: "tr-TR", pl: "pl-PL", ar: "ar-SA" };
const LONGEST_UTTERANCE_MS = 15000; // if a speech engine never reports the end, go on after this

export function spokenNumber(number) {
  // "P012" is spoken as "P 12", not as "P zero one two".
  return number.replace(/^([A-Z]+)0*(\d+)$/, "$1 $2");
}

export class Announcer {
  constructor({ callouts, sound = true, speech = false, soundButton = null }) {
    this.callouts = callouts; // language -> "Number {number}, please go to desk {desk}."
    this.sound = sound;
    this.speech = speech && "speechSynthesis" in window;
    this.queue = [];
    this.busy = false;
    this.audio = null;
    this.soundButton = soundButton;
    if (soundButton) soundButton.addEventListener("click", () => this.unlock());
    if (this.sound || this.speech) this.prepareAudio();
  }

  prepareAudio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (this.sound && Context) this.audio = new Context();
    // Browsers keep sound off until someone touches the page once (or the kiosk browser allows it).
    const blocked = (this.audio && this.audio.state !== "running")
      || (this.speech && navigator.userActivation && !navigator.userActivation.hasBeenActive);
    if (blocked && this.soundButton) this.soundButton.hidden = false;
  }

  unlock() {
    if (this.audio) this.audio.resume();
    if (this.speech) window.speechSynthesis.speak(new SpeechSynthesisUtterance(""));
    if (this.soundButton) this.soundButton.hidden = true;
  }

  announce(call) {
    if (!this.sound && !this.speech) return;
    this.queue.push(call);
    this.next();
  }

  async next() {
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    const call = this.queue.shift();
    try {
      await this.chime();
      if (this.speech) {
        for (const text of this.lines(call)) await this.say(text.language, text.text);
      }
    } finally {
      this.busy = false;
      setTimeout(() => this.next(), 400);
    }
  }

  lines(call) {
    const languages = ["nl"];
    if (call.language && call.language !== "nl" && this.callouts[call.language]) languages.push(call.language);
    return languages.filter((lang) => this.callouts[lang]).map((language) => ({
      language,
      text: this.callouts[language].replace("{number}", spokenNumber(call.number)).replace("{desk}", String(call.desk)),
    }));
  }

  say(language, text) {
    return new Promise((resolve) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = SPEECH_LOCALES[language] || language;
      const voice = window.speechSynthesis.getVoices().find((v) => v.lang.replace("_", "-").startsWith(language));
      if (voice) utterance.voice = voice;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(guard);
        resolve();
      };
      const guard = setTimeout(done, LONGEST_UTTERANCE_MS);
      utterance.onend = done;
      utterance.onerror = done;
      window.speechSynthesis.speak(utterance); // queued by the browser too; never cancel()
    });
  }

  chime() {
    const audio = this.audio;
    if (!this.sound || !audio || audio.state !== "running") return Promise.resolve();
    const start = audio.currentTime + 0.05;
    for (const [offset, frequency] of [[0, 659.25], [0.45, 880]]) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.35, start + offset + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.9);
      tone.connect(gain).connect(audio.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 1);
    }
    return new Promise((resolve) => setTimeout(resolve, 1500));
  }
}
