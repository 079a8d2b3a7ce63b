import Link from "next/link";
import { IntegrationList } from "~/components/projects/integrations";
import { Card, CardHeader } from "~/components/ui/card";

/** The project's integrations on its dashboard: the compact list, and the way to the page that manages them. */
export function IntegrationsCard({ projectId }: { projectId: string }) {
  return (
    <Card>
      <CardHeader title="Integrations" description="Services this project calls and the signed webhooks it receives." />
      <IntegrationList projectId={projectId} compact />
      <p className="mt-3 text-sm">
        <Link href={`/projects/${projectId}/integrations`} className="text-brand-700 underline dark:text-brand-100">
          Manage integrations and webhook signing
        </Link>
      </p>
    </Card>
  );
}
