import Link from "next/link";
import { Card, CardHeader } from "~/components/ui/card";

/**
 * INTEGRATIONS SLOT: the place of the project's integrations on its dashboard. The integrations list lives in
 * src/components/projects/integrations and is embedded here when that work lands; until then this links to the
 * project's integrations page.
 */
export function IntegrationsSlot({ projectId }: { projectId: string }) {
  return (
    <Card>
      <CardHeader title="Integrations" description="Services this project calls and the signed webhooks it receives." />
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="integrations-slot">
        No integrations shown here yet.{" "}
        <Link href={`/projects/${projectId}/integrations`} className="text-brand-700 underline dark:text-brand-100">
          Manage integrations
        </Link>
      </p>
    </Card>
  );
}
