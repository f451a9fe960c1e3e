// Demo catalog, part three: public-domain cliffhanger serials, each chapter an episode.
import type { DemoSeries } from "./types.js";

const chapters = (titles: string[], first: number, rest: number): [string, number][] => titles.map((t, i) => [t, i === 0 ? first : rest]);

export const SERIALS: DemoSeries[] = [
  {
    title: "Flash Gordon", year: 1936, genres: ["science-fiction", "adventure", "action"], maturity: "TV-PG", popularity: 75,
    en: "Polo star Flash Gordon, Dale Arden and Dr. Zarkov fly a rocket to the planet Mongo to stop the emperor Ming the Merciless. Each season here is one of the three original Universal serials.",
    vi: "Ngôi sao polo Flash Gordon, Dale Arden và tiến sĩ Zarkov bay tên lửa tới hành tinh Mongo để ngăn hoàng đế Ming Tàn Bạo. Mỗi mùa ở đây là một trong ba loạt phim nhiều tập gốc của hãng Universal.",
    seasons: [
      {
        number: 1, title: "Flash Gordon", year: 1936,
        episodes: chapters(
          ["The Planet of Peril", "The Tunnel of Terror", "Captured by Shark Men", "Battling the Sea Beast", "The Destroying Ray", "Flaming Torture", "Shattering Doom", "Tournament of Death", "Fighting the Fire Dragon", "The Unseen Peril", "In the Claws of the Tigron", "Trapped in the Turret", "Rocketing to Earth"],
          20, 20,
        ),
      },
      {
        number: 2, title: "Flash Gordon's Trip to Mars", year: 1938,
        episodes: chapters(
          ["New Worlds to Conquer", "The Living Dead", "Queen of Magic", "Ancient Enemies", "The Boomerang", "Tree-Men of Mars", "The Prisoner of Mongo", "The Black Sapphire of Kalu", "Symbol of Death", "Incense of Forgetfulness", "Human Bait", "Ming the Merciless", "The Miracle of Magic", "A Beast at Bay", "An Eye for an Eye"],
          20, 20,
        ),
      },
      {
        number: 3, title: "Flash Gordon Conquers the Universe", year: 1940,
        episodes: chapters(
          ["The Purple Death", "Freezing Torture", "Walking Bombs", "The Destroying Ray", "The Palace of Terror", "Flaming Death", "The Land of the Dead", "The Fiery Abyss", "The Pool of Peril", "The Death Mist", "Stark Treachery", "Doom of the Dictator"],
          20, 20,
        ),
      },
    ],
  },
  {
    title: "The Phantom Creeps", year: 1939, genres: ["science-fiction", "horror", "thriller"], maturity: "TV-PG", popularity: 52,
    en: "Dr. Zorka, a bitter inventor with a giant robot, an invisibility belt and a meteorite that can stop an army, fights off spies and the government alike.",
    vi: "Tiến sĩ Zorka, nhà phát minh đầy thù hận có người máy khổng lồ, thắt lưng tàng hình và một thiên thạch đủ sức chặn cả đạo quân, chống lại cả gián điệp lẫn chính phủ.",
    seasons: [
      {
        number: 1, title: "The Phantom Creeps", year: 1939,
        episodes: chapters(
          ["The Menacing Monster", "Death Stalks the Highways", "Crashing Timbers", "Invisible Terror", "Thundering Rails", "The Iron Monster", "The Menacing Mist", "Trapped in the Flames", "Speeding Doom", "Phantom Footprints", "The Blast", "To Destroy the World"],
          21, 18,
        ),
      },
    ],
  },
  {
    title: "Undersea Kingdom", year: 1936, genres: ["science-fiction", "adventure", "action"], maturity: "TV-G", popularity: 44,
    en: "A naval officer and a professor take a submarine to the sunken city of Atlantis, where a warlord with robot soldiers plans to conquer the world above.",
    vi: "Một sĩ quan hải quân và một giáo sư đi tàu ngầm xuống thành phố chìm Atlantis, nơi lãnh chúa cùng đội lính người máy âm mưu chinh phục thế giới trên mặt nước.",
    seasons: [
      {
        number: 1, title: "Undersea Kingdom", year: 1936,
        episodes: chapters(
          ["Beneath the Ocean Floor", "The Undersea City", "Arena of Death", "Revenge of the Volkites", "Prisoners of Atlantis", "The Juggernaut Strikes", "The Submarine Trap", "Into the Metal Tower", "Death in the Air", "Atlantis Destroyed", "Flaming Death", "Ascent to the Upperworld"],
          30, 20,
        ),
      },
    ],
  },
];
