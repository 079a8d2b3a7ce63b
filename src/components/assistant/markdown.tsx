import ReactMarkdown, { defaultUrlTransform, type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

/** The little of mdast this module touches: a node, its children, and an `html` node's source. */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/**
 * Raw HTML in Claude's answer is shown as the text it is, never rendered: every `html` node becomes a `text` node
 * before anything turns the tree into elements. (Without rehype-raw react-markdown would not render it either;
 * this keeps the characters visible instead of leaving it to how a version treats them.)
 */
function remarkHtmlAsText() {
  const BLOCK_CONTAINERS = new Set(["root", "blockquote", "listItem"]);
  const walk = (node: MdNode) => {
    const children = node.children ?? [];
    children.forEach((child, index) => {
      if (child.type !== "html") return walk(child);
      const text = { type: "text", value: child.value ?? "" };
      // An HTML block reads as a paragraph of its source.
      children[index] = BLOCK_CONTAINERS.has(node.type) ? { type: "paragraph", children: [text] } : text;
    });
  };
  return (tree: MdNode) => walk(tree);
}

const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a
        href={href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        className="text-brand-700 underline underline-offset-2 dark:text-brand-300"
      >
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  // An image in an answer would be fetched from wherever the model pointed: shown as a link to it instead.
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a
        href={src}
        target="_blank"
        rel="noopener noreferrer nofollow"
        className="text-brand-700 underline underline-offset-2 dark:text-brand-300"
      >
        {alt ? `Image: ${alt}` : "Image"}
      </a>
    ) : (
      <span>{alt}</span>
    ),
  p: ({ children }) => <p className="my-2 first:mt-0 last:mb-0">{children}</p>,
  ul: ({ children }) => <ul className="my-2 list-disc pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 list-decimal pl-5">{children}</ol>,
  h1: ({ children }) => <h4 className="mt-3 mb-1 font-semibold">{children}</h4>,
  h2: ({ children }) => <h4 className="mt-3 mb-1 font-semibold">{children}</h4>,
  h3: ({ children }) => <h5 className="mt-3 mb-1 font-semibold">{children}</h5>,
  blockquote: ({ children }) => (
    <blockquote className="my-2 border-l-2 border-zinc-300 pl-3 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
      {children}
    </blockquote>
  ),
  pre: ({ children }) => (
    <pre className="my-2 overflow-x-auto rounded-md bg-zinc-100 p-2 font-mono text-xs leading-relaxed dark:bg-zinc-900 [&>code]:bg-transparent [&>code]:p-0">
      {children}
    </pre>
  ),
  code: ({ children, className }) => (
    <code className={`rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] dark:bg-zinc-800 ${className ?? ""}`}>
      {children}
    </code>
  ),
  table: ({ children }) => (
    <div className="my-2 overflow-x-auto">
      <table className="border-collapse text-xs">{children}</table>
    </div>
  ),
  th: ({ children }) => (
    <th className="border border-zinc-300 px-2 py-1 text-left font-semibold dark:border-zinc-700">{children}</th>
  ),
  td: ({ children }) => <td className="border border-zinc-300 px-2 py-1 dark:border-zinc-700">{children}</td>,
};

const remarkPlugins = [remarkGfm, remarkHtmlAsText];

/** Claude's answer as Markdown (GitHub flavour), safely: no raw HTML, no script URLs, links open apart. */
export default function Markdown({ text }: { text: string }) {
  return (
    <div className="text-sm leading-relaxed break-words" data-testid="markdown">
      {/* defaultUrlTransform keeps http(s), mailto and relative links and empties any other (javascript:). */}
      <ReactMarkdown remarkPlugins={remarkPlugins} components={components} urlTransform={defaultUrlTransform}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
