import * as UserRules from "@chatwoot-effect/contract/UserRules"
import { assert, describe, it } from "vitest"

const messages = (violations: ReadonlyArray<UserRules.RuleViolation>) => violations.map((v) => v.message).join(", ")

const update = (over: Partial<UserRules.RecordState>): UserRules.RecordState => ({
  isNew: false,
  email: "dev@chatwoot.com",
  emailChanged: false,
  emailTaken: false,
  password: undefined,
  ...over
})

describe("UserRules", () => {
  describe("email", () => {
    it("normalises by trimming and lowercasing", () => {
      assert.strictEqual(UserRules.normalizeEmail("  Dan@ACME.Inc \n"), "dan@acme.inc")
    })

    it("normalises as Ruby does: ASCII whitespace only, no final-sigma rule", () => {
      assert.strictEqual(UserRules.normalizeEmail("\u00a0a@x.co\t"), "\u00a0a@x.co")
      assert.strictEqual(UserRules.normalizeEmail("ΟΔΟΣ@x.co"), "οδοσ@x.co")
      assert.deepStrictEqual(UserRules.emailViolations("a\u00a0b@x.co"), [])
      assert.deepStrictEqual(UserRules.emailViolations("a\u000bb@x.co").map((v) => v.rule), ["format", "email_address"])
    })

    it("needs a dotted domain whose last label has 2+ letters", () => {
      assert.deepStrictEqual(UserRules.emailViolations("dan@acme.inc"), [])
      assert.deepStrictEqual(UserRules.emailViolations("dan@acme").map((v) => v.rule), ["email_address"])
      assert.deepStrictEqual(UserRules.emailViolations("dan@acme.c").map((v) => v.rule), ["email_address"])
      assert.deepStrictEqual(UserRules.emailViolations("dan@acme.123").map((v) => v.rule), ["email_address"])
      assert.deepStrictEqual(UserRules.emailViolations("foo").map((v) => v.rule), ["format", "email_address"])
      assert.deepStrictEqual(UserRules.emailViolations("").map((v) => v.rule), ["required"])
      assert.deepStrictEqual(UserRules.emailViolations("a b@acme.inc").map((v) => v.rule), ["format", "email_address"])
    })
  })

  describe("password", () => {
    it("accepts Chatwoot's own examples", () => {
      assert.deepStrictEqual(UserRules.passwordViolations("Password1!"), [])
      assert.deepStrictEqual(UserRules.passwordViolations("Pass word1"), [])
      assert.deepStrictEqual(UserRules.passwordViolations("Aa1" + "!".repeat(125)), [])
    })

    it("lists every broken rule in Chatwoot's order", () => {
      assert.strictEqual(
        messages(UserRules.passwordViolations("password")),
        "Password must contain at least 1 uppercase character  (A..Z), " +
          "Password must contain at least 1 number character  (0..9), " +
          "Password must contain at least 1 special character  ( !@#$%^&*()_+-=[]{}|\"/\\.,`<>:;?~')"
      )
      assert.deepStrictEqual(
        UserRules.passwordViolations("").map((v) => v.rule),
        ["min_length", "uppercase", "lowercase", "number", "special"]
      )
      assert.deepStrictEqual(
        UserRules.passwordViolations("Aa1!" + "x".repeat(125)).map((v) => v.rule),
        ["max_length"]
      )
    })

    it("counts characters, not UTF-16 units, and rejects unknown ones", () => {
      const server = UserRules.passwordViolations("Passwörd1!é", { revealCharacters: true })
      assert.deepStrictEqual(server.map((v) => v.message), ["Password contains 2 invalid characters (öé)"])
      assert.strictEqual(
        messages(UserRules.passwordViolations("Pässword1!", { revealCharacters: true })),
        "Password contains 1 invalid character (ä)"
      )
      assert.deepStrictEqual(UserRules.passwordViolations("Pass\tword1!").map((v) => v.rule), ["invalid_characters"])
      assert.deepStrictEqual(UserRules.passwordViolations("Aa1!😀").map((v) => v.rule), [
        "min_length",
        "invalid_characters"
      ])
    })

    it("never names the password's characters unless asked to (the client never does)", () => {
      const client = UserRules.passwordViolations("Pässword1!")
      assert.strictEqual(client.length, 1)
      assert.notInclude(client[0]!.message, "ä")
    })
  })

  describe("recordInvalid: the server's exact 422 messages (BEHAVIOUR.md §4)", () => {
    it("update to another user's email: taken twice", () => {
      const errors = UserRules.recordInvalid(update({ email: "x@chatwoot.com", emailChanged: true, emailTaken: true }))
      assert.strictEqual(messages(errors), "Email has already been taken, Email has already been taken")
      assert.deepStrictEqual(UserRules.attributesOf(errors), ["email"])
    })

    it("create whose email is taken: three times", () => {
      const errors = UserRules.recordInvalid(
        update({ isNew: true, emailChanged: true, emailTaken: true, password: "Password1!" })
      )
      assert.strictEqual(
        messages(errors),
        "Email has already been taken, Email has already been taken, Email has already been taken"
      )
    })

    it("foo, foo@bar and blank", () => {
      assert.strictEqual(
        messages(UserRules.recordInvalid(update({ email: "foo", emailChanged: true }))),
        "Email is invalid, Email is not an email, Email is invalid"
      )
      assert.strictEqual(
        messages(UserRules.recordInvalid(update({ email: "foo@bar", emailChanged: true }))),
        "Email is not an email"
      )
      assert.strictEqual(
        messages(UserRules.recordInvalid(update({ email: "", emailChanged: true }))),
        "Email can't be blank, Email can't be blank"
      )
    })

    it("an empty create body: blank email around the five password rules", () => {
      const errors = UserRules.recordInvalid({
        isNew: true,
        email: "",
        emailChanged: true,
        emailTaken: false,
        password: ""
      })
      assert.strictEqual(
        messages(errors),
        [
          "Email can't be blank",
          "Password must contain at least 6 characters",
          "Password must contain at least 1 uppercase character  (A..Z)",
          "Password must contain at least 1 lowercase character  (a..z)",
          "Password must contain at least 1 number character  (0..9)",
          "Password must contain at least 1 special character  ( !@#$%^&*()_+-=[]{}|\"/\\.,`<>:;?~')",
          "Email can't be blank"
        ].join(", ")
      )
      assert.deepStrictEqual(UserRules.attributesOf(errors), ["email", "password"])
    })

    it("combines a taken email with a weak password", () => {
      const errors = UserRules.recordInvalid(
        update({ email: "x@chatwoot.com", emailChanged: true, emailTaken: true, password: "weak" })
      )
      assert.deepStrictEqual(UserRules.attributesOf(errors), ["email", "password"])
      assert.isTrue(messages(errors).startsWith("Email has already been taken, Email has already been taken, Password"))
    })

    it("an unchanged valid record and no password is valid", () => {
      assert.deepStrictEqual(UserRules.recordInvalid(update({})), [])
    })
  })

  it("redactServerMessage hides a password's invalid characters in a 422 message", () => {
    assert.strictEqual(
      UserRules.redactServerMessage("Password contains 2 invalid characters (é)), Email can't be blank"),
      "Password contains 2 invalid characters ([redacted]), Email can't be blank"
    )
    assert.strictEqual(
      UserRules.redactServerMessage("Email is not an email, Password contains 1 invalid character (£)"),
      "Email is not an email, Password contains 1 invalid character ([redacted])"
    )
    assert.strictEqual(UserRules.redactServerMessage("Email is invalid"), "Email is invalid")
  })
})
