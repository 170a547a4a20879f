/**
 * The refusals of the wallet services (OpenID4VCI offers, OpenID4VP requests: src/wallet/oid4vci.ts, oid4vp.ts) that
 * reach people as problem details, in English with `{name}` values; kk.ts and ru.ts translate each key. The OAuth and
 * OpenID4VC error bodies wallets read (`error`, `error_description`) are protocol fields and stay English.
 */
export const WALLET_DETAIL_TEMPLATES = {
  "wallet-certificate-not-yours": "No certificate {id} of yours.",
  "wallet-certificate-revoked": "The certificate is revoked; it cannot be offered to a wallet.",
  "wallet-certificate-not-takeable": "No certificate {id} of yours that can be taken into a wallet.",
  "wallet-attestation-not-takeable": "No annual attestation {id} of yours that can be taken into a wallet.",
  "wallet-signing-key-missing": "The key that signed this certificate has no private key here.",
  "wallet-bar-unknown": "No bar {id}.",
  "wallet-rotation-raced": "Another rotation of this bar's verifier key came first; nothing was changed.",
  "wallet-presentation-request-unknown": "No such presentation request.",
  "wallet-upload-incomplete": "Send a presentation, or the licence and its certificate files.",
  "wallet-presentation-request-expired": "The presentation request has expired; create a new one.",
  "wallet-presentation-request-answered": "This presentation request was already answered.",
  "wallet-holder-proof-required": "Send a bar API key, or a holder proof from the wallet that presented for this licence.",
  "wallet-not-presented": "This wallet has not presented certificates for this licence.",
} as const;

export type WalletDetailKey = keyof typeof WALLET_DETAIL_TEMPLATES;
