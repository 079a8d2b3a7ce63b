import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Next.js App", template: "%s | Next.js App" },
  description: "A Next.js App Router starter.",
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
