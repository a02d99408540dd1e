/**
 * What the Add Account wizard asks of the user, one step at a time. The extension answers with
 * VS Code's QuickInput (quick-input-prompts.ts); tests answer from a script. No `vscode` here.
 */
export const BACK = Symbol('back');
/** The user's answer, `BACK` for the back button, undefined when they cancelled (Escape). */
export type Answer<T> = T | typeof BACK | undefined;

export interface StepPosition {
  title: string;
  step: number;
  totalSteps: number;
}

export interface InputRequest extends StepPosition {
  prompt: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** What is wrong with the text, shown under the input while the user types; undefined when fine. */
  validate(value: string): string | undefined;
  /** Offer a file picker beside the input (CA file, private key). */
  browseFiles?: { label: string; filters: Record<string, string[]> };
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface PickRequest<T> extends StepPosition {
  placeholder: string;
  items: PickItem<T>[];
  /** The item selected when the step opens (the current or suggested answer). */
  active?: T;
}

export interface PickManyRequest<T> extends PickRequest<T> {
  selected: T[];
  /** What is wrong with the selection; the step stays open while there is something. */
  validate(values: T[]): string | undefined;
}

export interface WizardPrompts {
  input(request: InputRequest): Promise<Answer<string>>;
  pick<T>(request: PickRequest<T>): Promise<Answer<T>>;
  pickMany<T>(request: PickManyRequest<T>): Promise<Answer<T[]>>;
}
