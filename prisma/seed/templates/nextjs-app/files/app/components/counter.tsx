"use client";

import { useState } from "react";

export function Counter({ initial }: { initial: number }) {
  const [count, setCount] = useState(initial);

  return (
    <div className="counter">
      <button type="button" onClick={() => setCount((c) => c - 1)} aria-label="Decrement">
        −
      </button>
      <output aria-live="polite">{count}</output>
      <button type="button" onClick={() => setCount((c) => c + 1)} aria-label="Increment">
        +
      </button>
    </div>
  );
}
