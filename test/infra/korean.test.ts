import { describe, expect, test } from "bun:test";
import { josa } from "../../src/infra/korean.ts";

describe("Korean particles follow the last syllable", () => {
  test("을/를, 이/가, 은/는 by the final consonant", () => {
    expect(josa("온도", "을/를")).toBe("온도를");
    expect(josa("사이즈", "을/를")).toBe("사이즈를");
    expect(josa("샷 추가", "을/를")).toBe("샷 추가를");
    expect(josa("토핑", "을/를")).toBe("토핑을");
    expect(josa("치즈케이크", "이/가")).toBe("치즈케이크가");
    expect(josa("아메리카노", "은/는")).toBe("아메리카노는");
    expect(josa("성수 커피", "은/는")).toBe("성수 커피는");
    expect(josa("빵", "은/는")).toBe("빵은");
    expect(josa("시럽", "이에요/예요")).toBe("시럽이에요");
    expect(josa("라떼", "이에요/예요")).toBe("라떼예요");
  });

  test("으로/로: ㄹ and no final take 로", () => {
    expect(josa("라떼", "으로/로")).toBe("라떼로");
    expect(josa("우유", "으로/로")).toBe("우유로");
    expect(josa("귀리 우유", "으로/로")).toBe("귀리 우유로");
    expect(josa("물", "으로/로")).toBe("물로");
    expect(josa("빵", "으로/로")).toBe("빵으로");
  });

  test("a bracket takes the particle of the word before it; digits and letters as spoken", () => {
    expect(josa("아메리카노(라지)", "을/를")).toBe("아메리카노(라지)를");
    expect(josa("콜드브루 (500ml)", "이/가")).toBe("콜드브루 (500ml)가");
    expect(josa("세트 1", "을/를")).toBe("세트 1을");
    expect(josa("세트 2", "을/를")).toBe("세트 2를");
    expect(josa("ICED TEA", "을/를")).toBe("ICED TEA를");
    expect(josa("Caramel", "은/는")).toBe("Caramel은");
    expect(josa("Caramel", "으로/로")).toBe("Caramel로");
  });
});
