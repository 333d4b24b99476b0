/**
 * x/mint registers no errors of its own; bad genesis input is refused with sdk 18 (ErrInvalidRequest), as the
 * SDK's Params.Validate does. Kept for the module's uniform file layout.
 */
export {};
