import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import Markdown from "~/components/assistant/markdown";
import { undoConflictPaths } from "~/components/assistant/turn-files";
import { TRPCClientError } from "@trpc/client";

const render = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe("Claude's answers rendered as Markdown, safely", () => {
  it("renders Markdown and GitHub's tables and code blocks", () => {
    const html = render("**bold** and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst a = 1;\n```");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toMatch(/<code[^>]*>code<\/code>/);
    expect(html).toMatch(/<table[^>]*>.*<td[^>]*>1<\/td>/s);
    expect(html).toMatch(/<pre[^>]*><code[^>]*language-ts[^>]*>const a = 1;/);
  });

  it("shows a <script> block and inline raw HTML as text, never as elements", () => {
    const html = render(
      'Hi <b onclick="steal()">there</b>\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">',
    );
    expect(html).not.toMatch(/<script|<b[ >]|<img/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;b onclick=&quot;steal()&quot;&gt;there&lt;/b&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
  });

  it("drops javascript: links (the text stays) and opens other links apart, with rel=noopener", () => {
    const html = render("[click](javascript:alert(1)) [JS](JAVASCRIPT:alert(1)) [docs](https://example.com/a)");
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain("<span>click</span>");
    expect(html).toMatch(
      /<a href="https:\/\/example.com\/a" target="_blank" rel="noopener noreferrer nofollow"[^>]*>docs<\/a>/,
    );
  });

  it("shows an image as a link to it instead of loading it from wherever the model pointed", () => {
    const html = render("![a chart](https://tracker.example/pixel.png) ![x](javascript:alert(1))");
    expect(html).not.toContain("<img");
    expect(html).toMatch(
      /<a href="https:\/\/tracker.example\/pixel.png"[^>]*rel="noopener noreferrer nofollow"[^>]*>Image: a chart<\/a>/,
    );
    expect(html).not.toMatch(/javascript:/i);
  });
});

describe("a refused undo", () => {
  it("names the files from the CONFLICT's data, and is no conflict for another error", () => {
    const conflict = new TRPCClientError("a.ts changed since", {
      result: { error: { code: -32009, message: "", data: { code: "CONFLICT", app: { paths: ["a.ts", "b.ts"] } } } },
    } as never);
    expect(undoConflictPaths(conflict)).toEqual(["a.ts", "b.ts"]);
    const other = new TRPCClientError("gone", {
      result: { error: { code: -32004, message: "", data: { code: "NOT_FOUND" } } },
    } as never);
    expect(undoConflictPaths(other)).toBeNull();
    expect(undoConflictPaths(new Error("network"))).toBeNull();
  });
});
