// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const determinism = {
  "no-restricted-imports": ["error", {
    paths: ["node:fs", "fs", "node:net", "net", "node:child_process", "child_process", "node:http", "http"]
      .map((name) => ({ name, message: "state-machine code is pure: no I/O (house rule 8)" })),
  }],
  "no-restricted-properties": ["error",
    { object: "Date", property: "now", message: "use the block time from ctx" },
    { object: "Math", property: "random", message: "non-deterministic" },
    { object: "process", property: "env", message: "configuration comes in through the app constructor" },
  ],
  "no-restricted-syntax": ["error",
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "use the block time from ctx" },
    { selector: "CallExpression[callee.property.name='localeCompare']", message: "locale-dependent ordering" },
  ],
};

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", ".ci/**", "**/*.js", "**/*.cjs", "!eslint.config.js", "**/fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-exports": ["error", { restrictDefaultExports: { direct: true } }],
    },
  },
  { files: ["eslint.config.js"], rules: { "no-restricted-exports": "off" } }, // eslint requires a default export here
  { files: ["abci-app/src/sdk/**/*.ts", "abci-app/src/app/**/*.ts", "abci-app/src/modules/**/*.ts", "abci-app/src/store/merkle*.ts"], ignores: ["**/*.spec.ts"], rules: determinism },
  {
    files: ["abci-app/src/abci/**/*.ts"], ignores: ["**/*.spec.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/app/**", "**/modules/**"], message: "the ABCI server knows nothing of the app (house rule 1)" }] }] },
  },
);
