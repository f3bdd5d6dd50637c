/**
 * Korean particles (조사) that follow the last syllable: "온도를", "사이즈를", "라떼로", "빵으로".
 * A name ending in a bracket ("아메리카노(라지)") takes the particle of the word before it, as
 * Korean writing does; digits and Latin letters are read the way Koreans say them.
 */
export type Particle = "을/를" | "이/가" | "은/는" | "과/와" | "으로/로" | "이에요/예요" | "아/야";

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
const RIEUL = 8; // ㄹ as a final consonant: "로", not "으로"

/** Final consonant index of each digit's Korean reading: 영 일 이 삼 사 오 육 칠 팔 구. */
const DIGIT_FINAL = [21, 8, 0, 16, 0, 0, 1, 8, 8, 0];
/** Latin letters whose English name ends in a consonant sound (L → 엘, M → 엠, N → 엔, R → 알). */
const LATIN_FINAL: Record<string, number> = { l: RIEUL, m: 16, n: 4, r: RIEUL };

/** The final consonant of the word's last sound: 0 = none, RIEUL = ㄹ, else another. */
function finalConsonant(word: string): number {
  const bare = word.replace(/(\s*[([{][^)\]}]*[)\]}])+\s*$/u, "").replace(/[\s.,!?~'"’”]+$/u, "");
  const last = bare.at(-1);
  if (!last) return 0;
  const code = last.charCodeAt(0);
  if (code >= HANGUL_FIRST && code <= HANGUL_LAST) return (code - HANGUL_FIRST) % 28;
  if (last >= "0" && last <= "9") return DIGIT_FINAL[Number(last)] ?? 0;
  return LATIN_FINAL[last.toLowerCase()] ?? 0;
}

/** The particle's form for `word` (the word itself is not included). */
export function particle(word: string, which: Particle): string {
  const [withFinal, withoutFinal] = which.split("/") as [string, string];
  const final = finalConsonant(word);
  if (which === "으로/로") return final === 0 || final === RIEUL ? withoutFinal : withFinal;
  return final === 0 ? withoutFinal : withFinal;
}

/** `word` followed by its particle: josa("온도", "을/를") → "온도를". */
export const josa = (word: string, which: Particle) => `${word}${particle(word, which)}`;
