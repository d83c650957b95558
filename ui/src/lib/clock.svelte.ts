class Clock {
  now = $state<number>(Date.now());

  constructor() {
    setInterval(() => {
      this.now = Date.now();
    }, 30_000);
  }
}

/** A coarse clock so relative times ("3 min ago") stay current. */
export const clock = new Clock();
