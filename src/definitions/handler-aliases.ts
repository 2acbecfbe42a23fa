// SPDX-License-Identifier: MIT
// The official SDK's older names of the `handlers.*` wrappers.
import { handler } from "./handlers.js";
import { exclusive, shared as objectShared } from "./object-handlers.js";
import { workflow, shared as workflowShared } from "./workflow-handlers.js";

/** Same as `handlers.handler`. */
export const createServiceHandler: typeof handler = handler;
/** Same as `handlers.object.exclusive`. */
export const createObjectHandler: typeof exclusive = exclusive;
/** Same as `handlers.object.shared`. */
export const createObjectSharedHandler: typeof objectShared = objectShared;
/** Same as `handlers.workflow.workflow`. */
export const createWorkflowHandler: typeof workflow = workflow;
/** Same as `handlers.workflow.shared`. */
export const createWorkflowSharedHandler: typeof workflowShared = workflowShared;
