// SPDX-License-Identifier: MIT
// `rpc.opts` and `rpc.sendOpts`. A module re-exported as a namespace (`export * as rpc`), so that
// `rpc` works as a namespace as with the official SDK, without TS namespace syntax.
import { type ClientCallOptions, type ClientSendOptions, Opts, SendOpts } from "./call-options.js";

/**
 * Options of one call through a typed client.
 *
 * @example
 * ctx.objectClient(cart, "Mary").add(item, rpc.opts({ idempotencyKey: "req-1" }));
 */
export const opts = <I, O>(options: ClientCallOptions<I, O>): Opts<I, O> => Opts.from(options);

/**
 * Options of one send through a typed send client.
 *
 * @example
 * ctx.serviceSendClient(mailer).remind(user, rpc.sendOpts({ delay: { days: 1 } }));
 */
export const sendOpts = <I>(options: ClientSendOptions<I>): SendOpts<I> => SendOpts.from(options);
