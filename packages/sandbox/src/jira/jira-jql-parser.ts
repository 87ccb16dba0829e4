/**
 * A JQL tokenizer and recursive-descent parser for the subset the fake Jira understands:
 *
 *   query    := [or] [ORDER BY sort {, sort}]
 *   or       := and {(OR | "||") and}
 *   and      := not {(AND | "&&") not}
 *   not      := (NOT | "!") not | "(" or ")" | clause
 *   clause   := field operator operand
 *   operator := = | != | ~ | !~ | > | >= | < | <= | IN | NOT IN | IS | IS NOT
 *   operand  := value | EMPTY | NULL | function "(" [args] ")" | "(" operand {, operand} ")"
 *
 * Errors carry Jira's wording and its `(line L, character C)` positions.
 */

export type JqlOperator =
  | "="
  | "!="
  | "~"
  | "!~"
  | ">"
  | ">="
  | "<"
  | "<="
  | "in"
  | "not in"
  | "is"
  | "is not";

export type Operand =
  | { readonly kind: "value"; readonly text: string; readonly quoted: boolean; readonly at: number }
  | { readonly kind: "empty"; readonly at: number }
  | {
      readonly kind: "function";
      readonly name: string;
      readonly args: readonly string[];
      readonly at: number;
    }
  | { readonly kind: "list"; readonly items: readonly Operand[]; readonly at: number };

export interface Clause {
  readonly type: "clause";
  readonly field: string;
  readonly fieldAt: number;
  readonly operator: JqlOperator;
  readonly operatorAt: number;
  readonly operand: Operand;
}

export type JqlNode =
  | Clause
  | { readonly type: "and" | "or"; readonly children: readonly JqlNode[] }
  | { readonly type: "not"; readonly child: JqlNode };

export interface SortKey {
  readonly field: string;
  readonly direction: "asc" | "desc" | undefined;
  readonly at: number;
}

export interface JqlQuery {
  readonly where: JqlNode | undefined;
  readonly orderBy: readonly SortKey[];
}

export class JqlSyntaxError extends Error {
  override readonly name = "JqlSyntaxError";
}

type Token =
  | { readonly kind: "(" | ")" | "," | "eof" | "&&" | "||" | "!"; readonly at: number; readonly raw: string }
  | { readonly kind: "op"; readonly value: JqlOperator; readonly at: number; readonly raw: string }
  | {
      readonly kind: "word";
      readonly value: string;
      readonly quoted: boolean;
      readonly at: number;
      readonly raw: string;
    };

/** Characters that must be quoted (Jira's reserved set, minus the ones this grammar uses). */
const RESERVED = new Set([..."+.,;?|*/%^$#@[]".split(""), "\\"]);
const STOP = new Set([..." \t\r\n()=!~<>,\"'&|"]);

export function location(query: string, offset: number): string {
  const before = query.slice(0, offset);
  const line = before.split("\n").length;
  const character = offset - before.lastIndexOf("\n");
  return `(line ${line}, character ${character})`;
}

const fail = (query: string, message: string, at: number): never => {
  throw new JqlSyntaxError(`Error in the JQL Query: ${message} ${location(query, at)}`);
};

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const char = query[index] as string;
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const at = index;
    const two = query.slice(index, index + 2);
    if (char === "(" || char === ")" || char === ",") {
      tokens.push({ kind: char, at, raw: char });
      index += 1;
    } else if (two === "&&" || two === "||") {
      tokens.push({ kind: two, at, raw: two });
      index += 2;
    } else if (char === "&" || char === "|") {
      tokens.push({ kind: char === "&" ? "&&" : "||", at, raw: char });
      index += 1;
    } else if (two === "!=" || two === "!~" || two === ">=" || two === "<=") {
      tokens.push({ kind: "op", value: two, at, raw: two });
      index += 2;
    } else if (char === "=" || char === "~" || char === ">" || char === "<") {
      tokens.push({ kind: "op", value: char, at, raw: char });
      index += 1;
    } else if (char === "!") {
      tokens.push({ kind: "!", at, raw: char });
      index += 1;
    } else if (char === '"' || char === "'") {
      let value = "";
      index += 1;
      let closed = false;
      while (index < query.length) {
        const current = query[index] as string;
        if (current === "\\" && index + 1 < query.length) {
          const next = query[index + 1] as string;
          value +=
            next === "n" ? "\n" : next === "t" ? "\t" : next === "\\" || next === char ? next : `\\${next}`;
          index += 2;
          continue;
        }
        if (current === char) {
          closed = true;
          index += 1;
          break;
        }
        value += current;
        index += 1;
      }
      if (!closed) fail(query, `The quoted string '${value}' has not been completed.`, at);
      tokens.push({ kind: "word", value, quoted: true, at, raw: query.slice(at, index) });
    } else {
      let value = "";
      while (index < query.length && !STOP.has(query[index] as string)) {
        const current = query[index] as string;
        if (RESERVED.has(current) && !(current === "[" && /^cf$/i.test(value))) {
          if (current === "]" && /^cf\[\d*$/i.test(value)) {
            value += current;
            index += 1;
            continue;
          }
          const code = current.charCodeAt(0).toString(16).padStart(4, "0");
          fail(
            query,
            `The character '${current}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.`,
            index,
          );
        }
        value += current;
        index += 1;
      }
      tokens.push({ kind: "word", value, quoted: false, at, raw: value });
    }
  }
  tokens.push({ kind: "eof", at: query.length, raw: "" });
  return tokens;
}

const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "in",
  "is",
  "empty",
  "null",
  "order",
  "by",
  "asc",
  "desc",
  "was",
]);
const OPERATORS_HINT =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

class Parser {
  readonly #query: string;
  readonly #tokens: Token[];
  #index = 0;

  constructor(query: string) {
    this.#query = query;
    this.#tokens = tokenize(query);
  }

  #peek(offset = 0): Token {
    return this.#tokens[Math.min(this.#index + offset, this.#tokens.length - 1)] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== "eof") this.#index += 1;
    return token;
  }

  #isWord(token: Token, word: string): boolean {
    return token.kind === "word" && !token.quoted && token.value.toLowerCase() === word;
  }

  #describe(token: Token): string {
    return token.kind === "eof" ? "end of query" : token.raw;
  }

  #fail(message: string, token: Token): never {
    return fail(this.#query, message, token.at);
  }

  parse(): JqlQuery {
    let where: JqlNode | undefined;
    if (this.#peek().kind !== "eof" && !this.#atOrderBy()) where = this.#or();
    const orderBy: SortKey[] = [];
    if (this.#atOrderBy()) {
      this.#next();
      this.#next();
      do {
        const field = this.#next();
        if (field.kind !== "word")
          this.#fail(`Expecting a field name but got '${this.#describe(field)}'.`, field);
        const direction = this.#peek();
        let dir: SortKey["direction"];
        if (this.#isWord(direction, "asc") || this.#isWord(direction, "desc")) {
          dir = (direction as { value: string }).value.toLowerCase() as "asc" | "desc";
          this.#next();
        }
        orderBy.push({ field: (field as { value: string }).value, direction: dir, at: field.at });
      } while (this.#peek().kind === "," && this.#next());
    }
    const rest = this.#peek();
    if (rest.kind !== "eof") {
      this.#fail(
        where === undefined || orderBy.length > 0
          ? `Expecting ',' or the end of the query but got '${this.#describe(rest)}'.`
          : `Expecting either 'OR' or 'AND' but got '${this.#describe(rest)}'.`,
        rest,
      );
    }
    return { where, orderBy };
  }

  #atOrderBy(): boolean {
    return this.#isWord(this.#peek(), "order") && this.#isWord(this.#peek(1), "by");
  }

  #or(): JqlNode {
    const children = [this.#and()];
    while (this.#isWord(this.#peek(), "or") || this.#peek().kind === "||") {
      this.#next();
      children.push(this.#and());
    }
    return children.length === 1 ? (children[0] as JqlNode) : { type: "or", children };
  }

  #and(): JqlNode {
    const children = [this.#not()];
    while (this.#isWord(this.#peek(), "and") || this.#peek().kind === "&&") {
      this.#next();
      children.push(this.#not());
    }
    return children.length === 1 ? (children[0] as JqlNode) : { type: "and", children };
  }

  #not(): JqlNode {
    const token = this.#peek();
    if (this.#isWord(token, "not") || token.kind === "!") {
      this.#next();
      return { type: "not", child: this.#not() };
    }
    if (token.kind === "(") {
      this.#next();
      const inner = this.#or();
      const close = this.#next();
      if (close.kind !== ")") this.#fail(`Expecting ')' but got '${this.#describe(close)}'.`, close);
      return inner;
    }
    return this.#clause();
  }

  #clause(): Clause {
    const field = this.#next();
    if (field.kind !== "word" || (!field.quoted && KEYWORDS.has(field.value.toLowerCase()))) {
      this.#fail(`Expecting a field name but got '${this.#describe(field)}'.`, field);
    }
    const { operator, at: operatorAt } = this.#operator();
    let operand: Operand;
    if (operator === "is" || operator === "is not") {
      const value = this.#next();
      if (!this.#isWord(value, "empty") && !this.#isWord(value, "null")) {
        this.#fail(
          `Expecting 'EMPTY' or 'NULL' after '${operator.toUpperCase()}' but got '${this.#describe(value)}'.`,
          value,
        );
      }
      operand = { kind: "empty", at: value.at };
    } else if (operator === "in" || operator === "not in") {
      const start = this.#peek();
      if (start.kind === "(") operand = this.#list();
      else if (start.kind === "word" && this.#peek(1).kind === "(") operand = this.#operand();
      else
        this.#fail(
          `Expecting a list of values after '${operator.toUpperCase()}' but got '${this.#describe(start)}'.`,
          start,
        );
    } else {
      operand = this.#operand();
    }
    return {
      type: "clause",
      field: (field as { value: string }).value,
      fieldAt: field.at,
      operator,
      operatorAt,
      operand,
    };
  }

  #operator(): { operator: JqlOperator; at: number } {
    const token = this.#next();
    if (token.kind === "op") return { operator: token.value, at: token.at };
    if (this.#isWord(token, "in")) return { operator: "in", at: token.at };
    if (this.#isWord(token, "not") && this.#isWord(this.#peek(), "in")) {
      this.#next();
      return { operator: "not in", at: token.at };
    }
    if (this.#isWord(token, "is")) {
      if (this.#isWord(this.#peek(), "not")) {
        this.#next();
        return { operator: "is not", at: token.at };
      }
      return { operator: "is", at: token.at };
    }
    if (this.#isWord(token, "was") || this.#isWord(token, "changed")) {
      return this.#fail(
        `The operator '${(token as { value: string }).value.toUpperCase()}' is not supported by the sandbox (history searches).`,
        token,
      );
    }
    return this.#fail(`Expecting operator but got '${this.#describe(token)}'. ${OPERATORS_HINT}`, token);
  }

  #list(): Operand {
    const open = this.#next();
    const items: Operand[] = [this.#operand()];
    while (this.#peek().kind === ",") {
      this.#next();
      items.push(this.#operand());
    }
    const close = this.#next();
    if (close.kind !== ")") this.#fail(`Expecting ')' or ',' but got '${this.#describe(close)}'.`, close);
    return { kind: "list", items, at: open.at };
  }

  #operand(): Operand {
    const token = this.#next();
    if (token.kind !== "word") {
      return this.#fail(
        `Expecting either a value, list or function but got '${this.#describe(token)}'.`,
        token,
      );
    }
    if (!token.quoted && this.#peek().kind === "(") {
      this.#next();
      const args: string[] = [];
      while (this.#peek().kind !== ")") {
        const arg = this.#next();
        if (arg.kind !== "word") {
          this.#fail(`Expecting a function argument or ')' but got '${this.#describe(arg)}'.`, arg);
        }
        args.push((arg as { value: string }).value);
        if (this.#peek().kind === ",") this.#next();
      }
      this.#next();
      return { kind: "function", name: token.value, args, at: token.at };
    }
    if (!token.quoted && (token.value.toLowerCase() === "empty" || token.value.toLowerCase() === "null")) {
      return { kind: "empty", at: token.at };
    }
    if (!token.quoted && KEYWORDS.has(token.value.toLowerCase())) {
      return this.#fail(
        `Expecting either a value, list or function but got '${token.value}'. You must surround '${token.value}' in quotation marks to use it as a value.`,
        token,
      );
    }
    return { kind: "value", text: token.value, quoted: token.quoted, at: token.at };
  }
}

/** Parses JQL; throws `JqlSyntaxError` with Jira's message. */
export function parseJql(query: string): JqlQuery {
  return new Parser(query).parse();
}
