import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return <div className="mx-auto flex max-w-md flex-col px-4 py-12 sm:py-16">{children}</div>;
}
