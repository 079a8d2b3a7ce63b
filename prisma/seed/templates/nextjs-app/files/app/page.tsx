import { Counter } from "./components/counter";

// A server component: this runs on the server, so it can read data directly.
export default function HomePage() {
  const renderedAt = new Date().toISOString();

  return (
    <main className="container">
      <h1>Next.js App Router</h1>
      <p>
        Edit <code>app/page.tsx</code> and save: the page updates in place.
      </p>

      <section className="card">
        <h2>Server component</h2>
        <p>
          Rendered on the server at <time dateTime={renderedAt}>{renderedAt}</time> (at build time, since
          nothing on this page is dynamic).
        </p>
      </section>

      <section className="card">
        <h2>Client component</h2>
        <Counter initial={0} />
      </section>

      <section className="card">
        <h2>Route handler</h2>
        <p>
          <a href="/api/health">GET /api/health</a> answers JSON from <code>app/api/health/route.ts</code>.
        </p>
      </section>
    </main>
  );
}
