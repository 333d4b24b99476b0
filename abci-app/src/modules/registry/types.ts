// Messages of the registry module (proto/trustnet/registry/v1/*.proto), type URLs under /trustnet.registry.v1.
import { PageRequest, PageResponse } from "../../sdk/key-page.ts";
import { messageCodec, repeated, str, strings, u64 } from "../../sdk/proto-codec.ts";

export interface MsgClaimNamespace { owner: string; namespace: string }
export interface MsgTransferNamespace { owner: string; namespace: string; newOwner: string }
export interface MsgReleaseNamespace { owner: string; namespace: string }
export interface MsgRegisterRegistry { operator: string; endpoint: string }
export interface MsgRecordTag { operator: string; namespace: string; repo: string; tag: string; digest: string; mediaType: string; size: bigint; pusher: string }
export interface MsgDeleteTag { operator: string; namespace: string; repo: string; tag: string }
export interface MsgAuthorizeRegistry { owner: string; namespace: string; operator: string }
export interface MsgRevokeRegistry { owner: string; namespace: string; operator: string }
export interface MsgAddMember { owner: string; namespace: string; member: string }
export interface MsgRemoveMember { owner: string; namespace: string; member: string }
export interface Empty { [k: string]: never }

/** One version of a tag, as recorded on-chain. An empty digest records a deletion. */
export interface TagRecord { namespace: string; repo: string; tag: string; digest: string; mediaType: string; size: bigint; pusher: string; operator: string; height: bigint; time: bigint }
/** A coin on the wire (cosmos.base.v1beta1.Coin: the amount as a decimal string). */
export interface WireCoin { denom: string; amount: string }
/**
 * A claimed namespace; `deposit` is what its claim locked in the registry module account (refunded to whoever
 * releases it), as coins like x/gov's Deposit.amount: empty when it holds none.
 */
export interface NamespaceInfo { namespace: string; owner: string; deposit: WireCoin[] }
/** The registry's params: what a claim locks (genesis-only: no message changes them). */
export interface Params { namespaceDeposit: WireCoin[] }
export interface RegistryInfo { operator: string; endpoint: string }

const P = "/trustnet.registry.v1.";
export const MsgClaimNamespace = messageCodec<MsgClaimNamespace>(`${P}MsgClaimNamespace`, [str("owner", 1), str("namespace", 2)]);
export const MsgTransferNamespace = messageCodec<MsgTransferNamespace>(`${P}MsgTransferNamespace`, [str("owner", 1), str("namespace", 2), str("newOwner", 3)]);
export const MsgReleaseNamespace = messageCodec<MsgReleaseNamespace>(`${P}MsgReleaseNamespace`, [str("owner", 1), str("namespace", 2)]);
export const MsgRegisterRegistry = messageCodec<MsgRegisterRegistry>(`${P}MsgRegisterRegistry`, [str("operator", 1), str("endpoint", 2)]);
export const MsgRecordTag = messageCodec<MsgRecordTag>(`${P}MsgRecordTag`, [
  str("operator", 1), str("namespace", 2), str("repo", 3), str("tag", 4), str("digest", 5), str("mediaType", 6), u64("size", 7), str("pusher", 8),
]);
export const MsgDeleteTag = messageCodec<MsgDeleteTag>(`${P}MsgDeleteTag`, [str("operator", 1), str("namespace", 2), str("repo", 3), str("tag", 4)]);
export const MsgAuthorizeRegistry = messageCodec<MsgAuthorizeRegistry>(`${P}MsgAuthorizeRegistry`, [str("owner", 1), str("namespace", 2), str("operator", 3)]);
export const MsgRevokeRegistry = messageCodec<MsgRevokeRegistry>(`${P}MsgRevokeRegistry`, [str("owner", 1), str("namespace", 2), str("operator", 3)]);
export const MsgAddMember = messageCodec<MsgAddMember>(`${P}MsgAddMember`, [str("owner", 1), str("namespace", 2), str("member", 3)]);
export const MsgRemoveMember = messageCodec<MsgRemoveMember>(`${P}MsgRemoveMember`, [str("owner", 1), str("namespace", 2), str("member", 3)]);
export const EmptyResponse = (name: string) => messageCodec<Empty>(`${P}${name}`, []);

export const TagRecord = messageCodec<TagRecord>(`${P}TagRecord`, [
  str("namespace", 1), str("repo", 2), str("tag", 3), str("digest", 4), str("mediaType", 5), u64("size", 6), str("pusher", 7), str("operator", 8), u64("height", 9), u64("time", 10),
]);
export const Coin = messageCodec<WireCoin>("/cosmos.base.v1beta1.Coin", [str("denom", 1), str("amount", 2)]);
export const NamespaceInfo = messageCodec<NamespaceInfo>(`${P}NamespaceInfo`, [str("namespace", 1), str("owner", 2), repeated("deposit", 3, Coin as never)]);
/** `namespace_deposit` is one Coin (a repeated field holding exactly one: the same bytes as a singular one). */
export const Params = messageCodec<Params>(`${P}Params`, [repeated("namespaceDeposit", 1, Coin as never)]);
export const RegistryInfo = messageCodec<RegistryInfo>(`${P}RegistryInfo`, [str("operator", 1), str("endpoint", 2)]);

// Queries: /trustnet.registry.v1.Query/<Method>
export const QueryParamsRequest = messageCodec<Record<string, never>>(`${P}QueryParamsRequest`, []);
export const QueryParamsResponse = messageCodec<{ params: Params[] }>(`${P}QueryParamsResponse`, [repeated("params", 1, Params as never)]);
export const QueryNamespaceRequest = messageCodec<{ namespace: string }>(`${P}QueryNamespaceRequest`, [str("namespace", 1)]);
export const QueryNamespaceResponse = messageCodec<{ namespace: NamespaceInfo[] }>(`${P}QueryNamespaceResponse`, [repeated("namespace", 1, NamespaceInfo as never)]);
// The list queries page by key (sdk/key-page.ts: `pagination{key, limit}`, at most 1,000 a page, default 100); each
// answer's `pagination.nextKey` asks for the next page, empty at the end.
const page = (n: number) => repeated("pagination", n, PageRequest as never);
const pageAnswer = (n: number) => repeated("pagination", n, PageResponse as never);
type Paged = { pagination: PageRequest[] };
type PagedAnswer = { pagination: PageResponse[] };
export const QueryNamespacesByOwnerRequest = messageCodec<{ owner: string } & Paged>(`${P}QueryNamespacesByOwnerRequest`, [str("owner", 1), page(2)]);
export const QueryNamespacesResponse = messageCodec<{ namespaces: NamespaceInfo[] } & PagedAnswer>(`${P}QueryNamespacesResponse`, [repeated("namespaces", 1, NamespaceInfo as never), pageAnswer(2)]);
export const QueryReposRequest = messageCodec<{ namespace: string } & Paged>(`${P}QueryReposRequest`, [str("namespace", 1), page(2)]);
export const QueryReposResponse = messageCodec<{ repos: string[] } & PagedAnswer>(`${P}QueryReposResponse`, [strings("repos", 1), pageAnswer(2)]);
export const QueryTagsRequest = messageCodec<{ namespace: string; repo: string } & Paged>(`${P}QueryTagsRequest`, [str("namespace", 1), str("repo", 2), page(3)]);
export const QueryTagHistoryRequest = messageCodec<{ namespace: string; repo: string; tag: string } & Paged>(`${P}QueryTagHistoryRequest`, [str("namespace", 1), str("repo", 2), str("tag", 3), page(4)]);
export const QueryTagRecordsResponse = messageCodec<{ records: TagRecord[] } & PagedAnswer>(`${P}QueryTagRecordsResponse`, [repeated("records", 1, TagRecord as never), pageAnswer(2)]);
export const QueryRegistriesRequest = messageCodec<Paged>(`${P}QueryRegistriesRequest`, [page(1)]);
export const QueryNamespaceRightsRequest = messageCodec<{ namespace: string }>(`${P}QueryNamespaceRightsRequest`, [str("namespace", 1)]);
export const QueryNamespaceRightsResponse = messageCodec<{ owner: string; authorized: string[]; members: string[] }>(`${P}QueryNamespaceRightsResponse`, [str("owner", 1), strings("authorized", 2), strings("members", 3)]);
/** Rights as of the end of block `height` (0: the latest block). The three rights are 0/1 (varint: wire-compatible with proto bool). */
export const QueryRightsAtRequest = messageCodec<{ namespace: string; operator: string; pusher: string; height: bigint }>(`${P}QueryRightsAtRequest`, [str("namespace", 1), str("operator", 2), str("pusher", 3), u64("height", 4)]);
export const QueryRightsAtResponse = messageCodec<{ owner: string; operatorAuthorized: bigint; pusherIsOwner: bigint; pusherIsMember: bigint; height: bigint }>(`${P}QueryRightsAtResponse`, [str("owner", 1), u64("operatorAuthorized", 2), u64("pusherIsOwner", 3), u64("pusherIsMember", 4), u64("height", 5)]);
export const QueryRegistriesResponse = messageCodec<{ registries: RegistryInfo[] } & PagedAnswer>(`${P}QueryRegistriesResponse`, [repeated("registries", 1, RegistryInfo as never), pageAnswer(2)]);

/** Every Msg type, for cosmjs' Registry (`registry.register(typeUrl, codec)`). */
export const registryMsgTypes = [
  MsgClaimNamespace, MsgTransferNamespace, MsgReleaseNamespace, MsgRegisterRegistry, MsgRecordTag, MsgDeleteTag,
  MsgAuthorizeRegistry, MsgRevokeRegistry, MsgAddMember, MsgRemoveMember,
] as const;
/** The `<Msg>Response` of each message (msgs.ts answers `<typeUrl>Response`, all empty): for decoders of tx results. */
export const registryMsgResponseTypes = registryMsgTypes.map((t) => EmptyResponse(`${t.typeUrl.slice(P.length)}Response`));
