// SPDX-License-Identifier: MIT
// Draining: an old deployment can go once no invocation is pinned to it and no service routes new
// invocations to it.
import type { Admin } from "../clients/admin.js";
import type { ServiceInfo } from "../clients/admin-types.js";
import { pinnedCounts } from "./queries.js";
import type { DeploymentDrain, DrainReport } from "./types.js";

/**
 * Lists deployments with their pinned invocations; with `remove`, removes the drained ones.
 *
 * @example
 * const { deployments } = await checkDrain(admin, services, { remove: false });
 */
export async function checkDrain(
  admin: Admin,
  services: readonly ServiceInfo[],
  options: { readonly remove: boolean; readonly progress: (line: string) => void },
): Promise<DrainReport> {
  const [deployments, pinned] = await Promise.all([admin.listDeployments(), pinnedCounts(admin)]);
  const drains: DeploymentDrain[] = deployments
    .map((d) => {
      const count = pinned.get(d.id) ?? 0;
      const serves = services.filter((s) => s.deploymentId === d.id).map((s) => s.name);
      const canRemove = count === 0 && serves.length === 0;
      const reason =
        serves.length > 0
          ? `serves the current revision of ${serves.join(", ")}`
          : count > 0
            ? `${count} invocation(s) still pinned to it`
            : "drained: nothing pinned, nothing routed to it";
      return {
        id: d.id,
        ...(d.uri !== undefined ? { uri: d.uri } : d.arn !== undefined ? { uri: d.arn } : {}),
        createdAt: d.createdAt.toISOString(),
        pinned: count,
        serves,
        canRemove,
        reason,
      };
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const removed: string[] = [];
  if (options.remove) {
    for (const d of drains.filter((x) => x.canRemove)) {
      // Restate 1.7 removes deployments only when forced; drained ones have nothing left to lose.
      await admin.removeDeployment(d.id, { force: true });
      options.progress(`deploy-check: removed drained deployment ${d.id}`);
      removed.push(d.id);
    }
  }
  return { deployments: drains, removed };
}
