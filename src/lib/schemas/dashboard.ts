/** Input of a project's dashboard (`project.dashboard`). Client-safe. */
import { z } from "zod";

export const ZProjectDashboardInput = z.object({ projectId: z.uuid() });
