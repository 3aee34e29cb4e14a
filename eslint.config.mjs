// Lint and format, as the Effect repositories do it: eslint recommended + typescript-eslint + the dprint rule of
// @effect/eslint-plugin (the formatter; there is no prettier for TS). `npm run lint` checks, `npm run lint-fix` rewrites.
import * as effectEslint from "@effect/eslint-plugin"
import js from "@eslint/js"
import importPlugin from "eslint-plugin-import"
import sortDestructureKeys from "eslint-plugin-sort-destructure-keys"
import { defineConfig } from "eslint/config"
import globals from "globals"
import tseslint from "typescript-eslint"

export default defineConfig(
  {
    // Build output and what git ignores (bench/.build holds the bench's esbuild bundles).
    ignores: [
      "**/dist/**",
      "**/build/**",
      "**/node_modules/**",
      "**/coverage/**",
      "**/.tsbuildinfo/**",
      "bench/.build/**",
      ".ci/**",
      "scratchpad/**",
      "**/*.md"
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...effectEslint.configs.dprint,
  {
    plugins: {
      import: importPlugin,
      "sort-destructure-keys": sortDestructureKeys
    },
    // Everything here runs on Node (the .mjs scripts use process, console, URL without importing them).
    languageOptions: { globals: globals.node },
    rules: {
      "object-shorthand": "error",

      "import/first": "error",
      "import/newline-after-import": "error",
      "import/no-duplicates": "error",
      "sort-destructure-keys/sort-destructure-keys": "error",

      "@typescript-eslint/array-type": ["error", { default: "generic", readonly: "generic" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": ["error", {
        argsIgnorePattern: "^_",
        varsIgnorePattern: "^_",
        caughtErrorsIgnorePattern: "^_",
        destructuredArrayIgnorePattern: "^_"
      }],
      // Off, as in the Effect repositories: `any` stands where it is meant (a variance position, a JSON value in a
      // test, a type the Node typings disagree on); `unknown` there would only add casts.
      "@typescript-eslint/no-explicit-any": "off",

      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }]
    }
  }
)
