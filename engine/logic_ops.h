/*
 * logic_ops.h -- the JsonLogic operators, one line each; include with
 * IK_OP(e, name, min, max, flags) defined. The enum, the name table and
 * the argument-count checks are generated from this list. No code here.
 *
 * flags: IK_LAZY   the operator evaluates its own arguments
 *        IK_DATA   the result depends on the data (never folded)
 *        IK_ITER   argument 2 runs with each element as the data
 * min/max: argument counts accepted (max -1: any number). json-logic-js
 * checks none, so these are all permissive.
 */
/* clang-format off */
/*    enum          JSON            min max flags */
IK_OP(VAR,          "var",           0, -1, IK_DATA)
IK_OP(MISSING,      "missing",       0, -1, IK_DATA)
IK_OP(MISSING_SOME, "missing_some",  0, -1, IK_DATA)
IK_OP(IF,           "if",            0, -1, IK_LAZY)
IK_OP(TERNARY,      "?:",            0, -1, IK_LAZY)
IK_OP(EQ,           "==",            0, -1, 0)
IK_OP(SEQ,          "===",           0, -1, 0)
IK_OP(NE,           "!=",            0, -1, 0)
IK_OP(SNE,          "!==",           0, -1, 0)
IK_OP(NOT,          "!",             0, -1, 0)
IK_OP(NOTNOT,       "!!",            0, -1, 0)
IK_OP(OR,           "or",            0, -1, IK_LAZY)
IK_OP(AND,          "and",           0, -1, IK_LAZY)
IK_OP(LT,           "<",             0, -1, 0)
IK_OP(LE,           "<=",            0, -1, 0)
IK_OP(GT,           ">",             0, -1, 0)
IK_OP(GE,           ">=",            0, -1, 0)
IK_OP(MAX,          "max",           0, -1, 0)
IK_OP(MIN,          "min",           0, -1, 0)
IK_OP(ADD,          "+",             0, -1, 0)
IK_OP(SUB,          "-",             0, -1, 0)
IK_OP(MUL,          "*",             0, -1, 0)
IK_OP(DIV,          "/",             0, -1, 0)
IK_OP(MOD,          "%",             0, -1, 0)
IK_OP(MAP,          "map",           0, -1, IK_LAZY | IK_ITER)
IK_OP(FILTER,       "filter",        0, -1, IK_LAZY | IK_ITER)
IK_OP(REDUCE,       "reduce",        0, -1, IK_LAZY | IK_ITER)
IK_OP(ALL,          "all",           0, -1, IK_LAZY | IK_ITER)
IK_OP(NONE,         "none",          0, -1, IK_LAZY | IK_ITER)
IK_OP(SOME,         "some",          0, -1, IK_LAZY | IK_ITER)
IK_OP(MERGE,        "merge",         0, -1, 0)
IK_OP(IN,           "in",            0, -1, 0)
IK_OP(CAT,          "cat",           0, -1, 0)
IK_OP(SUBSTR,       "substr",        0, -1, 0)
IK_OP(LOG,          "log",           0, -1, 0)
/* clang-format on */
