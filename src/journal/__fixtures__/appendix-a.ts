// SPDX-License-Identifier: MIT
// Golden frames of docs/protocol.md Appendix A, as hex (A.1–A.6 captured from runtime 1.7.12, A.8
// computed with the official TypeScript SDK). Frames are separated by spaces for readability.

/** A.1 StartMessage: V6 first attempt of `MyService/sleeper`, known_entries = 1. */
export const A1_START = `0000000000000052 0a1886b83c778950dc10b420d2ee2d0f2ac208efc635dd96fa50
  1226696e765f3131724b7043345a4739314132734e5539536a6a4e4c6839543969386c464e62576b
  1801 2801 4003 489281c4ae86efe8df5a`;

/** A.1 InputCommand (five ingress headers, value `"hi"`). */
export const A1_INPUT = `0400000000000097 0a2c0a16782d726573746174652d696e67726573732d7061746812122f4d79536572766963652f736c6565706572
  0a190a0a757365722d6167656e74120b6375726c2f372e38382e31
  0a0d0a0661636365707412032a2f2a
  0a200a0c636f6e74656e742d7479706512106170706c69636174696f6e2f6a736f6e
  0a130a0e636f6e74656e742d6c656e677468120134
  72060a0422686922`;

/** A.1 response: SleepCommand{1795411639709, cid 1, "nap"} then Suspension{[1]}. */
export const A1_RESPONSE = `040c00000000000e 089dfbfdb6a0345801 62036e6170 0001000000000003 0a0101`;

/** A.2 StartMessage of the resumed attempt: known_entries = 3, duration 4. */
export const A2_START = `0000000000000052 0a1886b83c778950dc10b420d2ee2d0f2ac208efc635dd96fa50
  1226696e765f3131724b7043345a4739314132734e5539536a6a4e4c6839543969386c464e62576b
  1803 2801 4004 489281c4ae86efe8df5a`;

/** A.2 SleepCompletionNotification{1, void}. */
export const A2_SLEEP_COMPLETION = `800c000000000004 0801 2200`;
/** A.2 replayed SleepCommand and its SleepCompletionNotification. */
export const A2_JOURNAL = `040c00000000000e 089dfbfdb6a034580162036e6170 ${A2_SLEEP_COMPLETION}`;

/** A.2 response: Output `"woke up"` then End. */
export const A2_RESPONSE = `040100000000000d 720b0a0922776f6b6520757022 0003000000000000`;

/** A.3 RunCommand{cid 1, "myrun"}. */
export const A3_RUN = `0411000000000009 5801 62056d7972756e`;
/** A.3 ProposeRunCompletion{1, raw `"run result"`} (V6). */
export const A3_PROPOSE_V6 = `0005000000000010 0801 720c2272756e20726573756c7422`;
/** A.3 RunCompletionNotification{1, value}. */
export const A3_RUN_COMPLETION = `8011000000000012 0801 2a0e0a0c2272756e20726573756c7422`;
/** A.3 ProposeRunCompletion with REQUESTED_ACK (V7). */
export const A3_PROPOSE_V7 = `0005800000000010 0801720c2272756e20726573756c7422`;
/** A.3 ProposeRunCompletionAck{1} (V7). */
export const A3_ACK = `0007000000000002 0801`;

/** A.4 CallCommand MyService/myHandler, parameter `"from caller"`, ids 1 and 2. */
export const A4_CALL = `040d000000000029 0a094d7953657276696365 12096d7948616e646c6572
  1a0d2266726f6d2063616c6c657222 5001 5802`;
/** A.4 CallInvocationIdCompletionNotification{1, "inv_15I5jo3v8rpR1N29glwVeLmiJJTiz75tM5"}. */
export const A4_INVOCATION_ID = `800e00000000002b 0801 820126696e765f313549356a6f337638727052314e3239676c7756654c6d694a4a54697a3735744d35`;
/** A.4 CallCompletionNotification{2, `"hello from fake"`}. */
export const A4_RESULT = `800d000000000017 0802 2a130a112268656c6c6f2066726f6d2066616b6522`;

/** A.5 cancel signal (idx 1, void). */
export const A5_CANCEL = `fbff000000000004 1001 2200`;
/** A.5 awakeable 17 resolved with `{"resolved":"yes"}`. */
export const A5_AWAKEABLE_RESOLVED = `fbff000000000018 1011 2a140a127b227265736f6c766564223a22796573227d`;
/** A.5 awakeable 17 rejected with 500 "nope, rejected". */
export const A5_AWAKEABLE_REJECTED = `fbff000000000017 1011 321308f403120e6e6f70652c2072656a6563746564`;
/** A.5 named signal "mysig" with `"sig value"`. */
export const A5_NAMED = `fbff000000000016 1a056d79736967 2a0d0a0b227369672076616c756522`;

/** A.6 V6 suspension on awakeable 17. */
export const A6_SUSPEND_AWAKEABLE = `0001000000000003 120111`;
/** A.6 V6 suspension on named signal "mysig". */
export const A6_SUSPEND_NAMED = `0001000000000007 1a056d79736967`;
/** A.6 V7 suspension: Future{waiting_completions [1], FIRST_COMPLETED}. */
export const A6_SUSPEND_V7 = `0001000000000007 22050a01012801`;
/** A.6 terminal output 409 "cancelled". */
export const A6_OUTPUT_CANCELLED = `0401000000000010 7a0e089903120963616e63656c6c6564`;
/** A.6 cancel of another invocation (SendSignal idx 1, void). */
export const A6_CANCEL_TARGET = "inv_10NmNN6h7wOz0UI0BlnKo24ZQBN6A0m9y2";
export const A6_SEND_CANCEL = `041000000000002c 0a26696e765f31304e6d4e4e366837774f7a30554930426c6e4b6f32345a51424e3641306d3979321001 2200`;
/** A.6 ErrorMessage{500, "boom attempt 1", "stack here", index 0, "myrun", 0x0411}. */
export const A6_ERROR = `000200000000002b 08f403 120e626f6f6d20617474656d70742031 1a0a737461636b2068657265 2000 2a056d7972756e 309108`;

/** A.8 invocation id, its debug id and its first two awakeable ids. */
export const A8_ID = "0618183eea04e869d049d2c4dc1293fcea54450af56ba4eb";
export const A8_DEBUG_ID = "inv_195JGzOPHaHs7aEkWoBs19SqN0CtVUiXfO";
export const A8_AWAKEABLE_17 = "sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEQ";
export const A8_AWAKEABLE_18 = "sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEg";
