import type { z } from "zod";
import type { menuItemInput } from "../store/menu/schema.ts";

type DemoItem = z.input<typeof menuItemInput>;
type DemoGroup = NonNullable<DemoItem["optionGroups"]>[number];

export const demoStore = {
  name: "심플커피 성수점",
  lat: 37.5446,
  lng: 127.0557,
  pin: "1234",
} as const;

export const demoDeviceLabel = "demo-counter";

const temperature: DemoGroup = {
  name: "온도",
  required: true,
  choices: [
    { name: "핫", priceDelta: 0 },
    { name: "아이스", priceDelta: 0 },
  ],
};
const iceOnly: DemoGroup = {
  name: "온도",
  required: true,
  choices: [{ name: "아이스", priceDelta: 0 }],
};
const size: DemoGroup = {
  name: "사이즈",
  required: true,
  choices: [
    { name: "레귤러", priceDelta: 0 },
    { name: "라지", priceDelta: 500 },
  ],
};
const extraShot: DemoGroup = {
  name: "샷 추가",
  required: false,
  choices: [{ name: "1샷 추가", priceDelta: 500 }],
};
const syrup: DemoGroup = {
  name: "시럽",
  required: false,
  choices: [
    { name: "바닐라 시럽", priceDelta: 500 },
    { name: "헤이즐넛 시럽", priceDelta: 500 },
  ],
};

/** The demo café's menu, in the shape of `menu:import` items (integer KRW). */
export const demoMenu: DemoItem[] = [
  {
    name: "아메리카노",
    price: 4500,
    category: "커피",
    description: "고소한 원두로 내린 기본 커피",
    soldOut: false,
    optionGroups: [temperature, size, extraShot, syrup],
  },
  {
    name: "카페라떼",
    price: 5000,
    category: "커피",
    description: "에스프레소와 부드러운 우유",
    optionGroups: [temperature, size, extraShot, syrup],
  },
  {
    name: "바닐라라떼",
    price: 5500,
    category: "커피",
    optionGroups: [temperature, size, extraShot],
  },
  {
    name: "콜드브루",
    price: 5000,
    category: "커피",
    description: "18시간 저온 추출",
    optionGroups: [iceOnly, size],
  },
  {
    name: "말차라떼",
    price: 5500,
    category: "논커피",
    optionGroups: [temperature, size, syrup],
  },
  {
    name: "자몽에이드",
    price: 6000,
    category: "논커피",
    optionGroups: [iceOnly, size],
  },
  {
    name: "바스크 치즈케이크",
    price: 6500,
    category: "디저트",
    description: "진한 크림치즈의 구운 치즈케이크",
  },
  {
    name: "크로플",
    price: 4500,
    category: "디저트",
    optionGroups: [
      {
        name: "토핑",
        required: false,
        choices: [
          { name: "바닐라 아이스크림", priceDelta: 1500 },
          { name: "메이플 시럽", priceDelta: 0 },
        ],
      },
    ],
  },
];
