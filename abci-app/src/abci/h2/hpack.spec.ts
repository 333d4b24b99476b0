// The HPACK decoder against RFC 7541's own examples (Appendix C: a connection's three requests, without and with
// Huffman coding, sharing the dynamic table), and its refusals.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { encodeLiteral, GRPC_RESPONSE_HEADERS, HpackDecoder, HpackError, huffmanDecode } from "./hpack.ts";

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");
const pairs = (d: HpackDecoder, block: string): [string, string][] => d.decode(hex(block), 16_384).headers.map((h) => [h.name, h.value]);

const REQUESTS: [string, string][][] = [
  [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]],
  [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"], ["cache-control", "no-cache"]],
  [[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [":authority", "www.example.com"], ["custom-key", "custom-value"]],
];

describe("HPACK decoder", () => {
  test("RFC 7541 C.3: requests without Huffman coding, sharing the dynamic table", () => {
    const d = new HpackDecoder();
    assert.deepEqual(pairs(d, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"), REQUESTS[0]);
    assert.deepEqual(pairs(d, "8286 84be 5808 6e6f 2d63 6163 6865"), REQUESTS[1]);
    assert.deepEqual(pairs(d, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"), REQUESTS[2]);
    assert.equal(d.tableLength, 3);
  });

  test("RFC 7541 C.4: the same requests with Huffman coding", () => {
    const d = new HpackDecoder();
    assert.deepEqual(pairs(d, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"), REQUESTS[0]);
    assert.deepEqual(pairs(d, "8286 84be 5886 a8eb 1064 9cbf"), REQUESTS[1]);
    assert.deepEqual(pairs(d, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"), REQUESTS[2]);
  });

  test("Huffman: RFC 7541 C.6 response values decode", () => {
    assert.equal(huffmanDecode(hex("641f")), "30", "padding of ones");
    assert.equal(huffmanDecode(hex("6402")), "302");
    assert.equal(huffmanDecode(hex("aec3 771a 4b")), "private");
    assert.equal(huffmanDecode(hex("d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff")), "Mon, 21 Oct 2013 20:13:21 GMT");
  });

  test("refuses bad padding, an index outside the tables, a table size above the announced one and truncation", () => {
    assert.throws(() => huffmanDecode(hex("6410")), HpackError, "padding not all ones");
    assert.throws(() => huffmanDecode(hex("64 02 ff")), HpackError, "padding of 8 bits or more");
    assert.throws(() => new HpackDecoder().decode(hex("be"), 16_384), /outside the tables/);
    assert.throws(() => new HpackDecoder().decode(hex("80"), 16_384), /index 0/);
    assert.throws(() => new HpackDecoder(4096).decode(hex("3fe2 1f"), 16_384), /above the announced 4096/);
    assert.throws(() => new HpackDecoder().decode(hex("400a 6375"), 16_384), /truncated string/);
    assert.throws(() => new HpackDecoder().decode(hex("82 20"), 16_384), /size update after a header field/);
  });

  test("past the header list limit, the block still updates the table and is reported too large", () => {
    const d = new HpackDecoder();
    const big = Buffer.concat([Buffer.of(0x40), encodeLiteral("x-big", "v".repeat(300)).subarray(1)]);
    const r = d.decode(big, 100);
    assert.equal(r.tooLarge, true);
    assert.equal(d.tableLength, 1, "the entry was still inserted");
    assert.deepEqual(pairs(d, "be"), [["x-big", "v".repeat(300)]]);
  });

  test("the server's own header blocks decode to the gRPC response headers", () => {
    const d = new HpackDecoder();
    assert.deepEqual(d.decode(GRPC_RESPONSE_HEADERS, 1000).headers, [{ name: ":status", value: "200" }, { name: "content-type", value: "application/grpc" }]);
    assert.deepEqual(d.decode(encodeLiteral("grpc-message", "a".repeat(200)), 1000).headers, [{ name: "grpc-message", value: "a".repeat(200) }]);
    assert.equal(d.tableLength, 0, "nothing indexed");
  });
});
