// cosmos.base.tendermint's gateway routes, answered from this node's CometBFT RPC.
import { badRequest } from "../../sdk/client/rest-errors.ts";
import { parsePageRequest } from "../../sdk/client/pagination.ts";
import { HEIGHT, type JsonBytes, type RestContext, type RestModule, type RestRoute, type RouteCall } from "../../sdk/client/route-table.ts";
import { blockJsonBytes, nodeInfoJson, validatorJson, type CometBlock, type CometNodeInfo, type CometValidator } from "../block-json.ts";

/** A block from CometBFT (cometRpc reads at most MAX_BLOCK_IN_FLIGHT at once, each up to the chain's block cap). */
const cometBlock = (ctx: RestContext, height: string | undefined): Promise<CometBlock> => ctx.rpc<CometBlock>("block", height === undefined ? {} : { height });

/**
 * A block's answer, with the block's hash (and the app version, which fixes the answer's shape) as its ETag: without
 * one, Express hashes the whole answer (sha1 of ~58 MB for a full block, 60–150 ms of the event loop here).
 */
async function blockAnswer(ctx: RestContext, c: RouteCall, height: string | undefined): Promise<JsonBytes> {
  const block = await cometBlock(ctx, height);
  if (/^[0-9A-F]{64}$/i.test(block.block_id.hash)) c.setHeader("ETag", `W/"${ctx.appVersion.replace(/[^\w.+-]/g, "")}-${block.block_id.hash}"`);
  return blockJsonBytes(block);
}

const heightParam = { name: "height", in: "path" as const, required: true, description: "block height (a positive integer)", pattern: HEIGHT };

async function validatorSet(ctx: RestContext, c: RouteCall, height: string | undefined): Promise<unknown> {
  const p = parsePageRequest(c.query);
  if (p.key !== undefined) throw badRequest("pagination.key is not supported for validator sets; use pagination.offset");
  // CometBFT pages hold at most 100 validators; read them all (a validator set is small) and page here. Every page
  // after the first is asked at the first one's height: "latest" pages could come from two heights when a block
  // lands in between, one set's validators mixed with the next's.
  const all: CometValidator[] = [];
  let blockHeight: string | undefined = height;
  for (let page = 1; ; page++) {
    const r = await ctx.rpc<{ block_height: string; validators: CometValidator[]; total: string }>("validators", { ...(blockHeight !== undefined ? { height: blockHeight } : {}), page: String(page), per_page: "100" });
    blockHeight = r.block_height;
    all.push(...r.validators);
    if (all.length >= Number(r.total) || r.validators.length === 0 || page >= 100) break;
  }
  const ordered = p.reverse ? [...all].reverse() : all;
  return {
    block_height: blockHeight,
    validators: ordered.slice(p.offset, p.offset + p.limit).map(validatorJson),
    pagination: { next_key: null, total: String(all.length) },
  };
}

export const tendermintRoutes: RestModule = {
  name: "tendermint",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/cosmos/base/tendermint/v1beta1/node_info", summary: "This node's CometBFT node info and the app version",
      handler: async () => ({
        default_node_info: nodeInfoJson((await ctx.rpc<{ node_info: CometNodeInfo }>("status", {})).node_info),
        application_version: { name: "trustnet", app_name: "trustnet-app", version: ctx.appVersion, git_commit: "", build_tags: "", go_version: "", build_deps: [], cosmos_sdk_version: "v0.50.0-compatible" },
      }),
    },
    {
      method: "get", path: "/cosmos/base/tendermint/v1beta1/syncing", summary: "Whether the node is catching up",
      handler: async () => ({ syncing: (await ctx.rpc<{ sync_info: { catching_up: boolean } }>("status", {})).sync_info.catching_up }),
    },
    {
      method: "get", path: "/cosmos/base/tendermint/v1beta1/blocks/latest", summary: "The latest block",
      handler: async (c) => blockAnswer(ctx, c, undefined),
    },
    {
      method: "get", path: "/cosmos/base/tendermint/v1beta1/blocks/{height}", summary: "The block at a height", params: [heightParam],
      handler: async (c) => blockAnswer(ctx, c, c.params.height),
    },
    {
      method: "get", path: "/cosmos/base/tendermint/v1beta1/validatorsets/latest", summary: "The latest validator set", paginated: true,
      handler: async (c) => validatorSet(ctx, c, undefined),
    },
    {
      method: "get", path: "/cosmos/base/tendermint/v1beta1/validatorsets/{height}", summary: "The validator set at a height", params: [heightParam], paginated: true,
      handler: async (c) => validatorSet(ctx, c, c.params.height),
    },
  ],
};
