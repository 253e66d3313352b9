/** The Time Machine (H. G. Wells, Project Gutenberg; see the README's data section), bundled at build time from data/. */
import text from "../../../../data/timemachine.txt?raw";

export const TIME_MACHINE: string = text;
/** The name a run trained on the bundled book records as its text, the CLI's default text path. */
export const TIME_MACHINE_NAME = "data/timemachine.txt";
