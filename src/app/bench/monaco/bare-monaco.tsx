"use client";

import dynamic from "next/dynamic";

/** Loaded as the IDE loads its editor (client only, lazily), so this route's first load stays Monaco-free too. */
export const BareMonaco = dynamic(() => import("./monaco-alone"), { ssr: false });
