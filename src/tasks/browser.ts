/** Task declarations: the option schema helpers and the registry of tasks. */
export {
  checkConfig,
  checkValue,
  configDifference as schemaConfigDifference,
  expectation,
  optionsHelp,
  parseFlag,
  resumableFlags,
  resumeConflict,
  OptionError,
  type OptionSpec,
  type OptionValue as TaskOptionValue,
  type TaskSchema,
  type IntegerOption,
  type NumberOption,
  type BooleanOption,
  type StringOption,
  type ChoiceOption,
} from "./schema.js";
export { registerTask, getTask, listTasks } from "./registry.js";
