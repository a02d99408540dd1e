/**
 * The shapes of the Add Account wizard's questions: one `Step` asks, hands Back and Escape to the
 * wizard, and keeps its answer in the draft; typed answers, fields of the setting, picks.
 */
import { Draft, problemOf, sentence } from './account-draft';
import { Answer, BACK, InputRequest, PickManyRequest, PickRequest, StepPosition, WizardPrompts } from './prompts';

/** One question of the wizard: asked when it applies to the draft so far, its answer kept in the draft. */
export interface Step {
  applies(draft: Draft): boolean;
  ask(draft: Draft, prompts: WizardPrompts, position: StepPosition): Promise<Answer<true>>;
}

export type Question<R> = Omit<R, keyof StepPosition>;
const always = () => true;

/**
 * The one shape of every step: ask, hand Back and Escape to the wizard, else keep the answer.
 * `keep` returns false when the answer can no longer be kept (a file changed since it was
 * checked): the question is asked again.
 */
export function step<T>(applies: (d: Draft) => boolean, ask: (d: Draft, prompts: WizardPrompts, position: StepPosition) => Promise<Answer<T>>,
  keep: (d: Draft, answer: T) => boolean | void): Step {
  return {
    applies,
    async ask(d, prompts, position) {
      for (;;) {
        const answer = await ask(d, prompts, position);
        if (answer === undefined) return undefined;
        if (answer === BACK) return BACK;
        if (keep(d, answer as T) !== false) return true;
      }
    },
  };
}

/** A typed answer; checks and keeps it trimmed. */
export function inputStep(options: {
  applies?: (d: Draft) => boolean;
  question: (d: Draft) => Omit<Question<InputRequest>, 'validate'>;
  validate: (d: Draft, text: string) => string | undefined;
  keep: (d: Draft, text: string) => boolean | void;
}): Step {
  return step(options.applies ?? always,
    (d, prompts, position) => prompts.input({ ...position, ...options.question(d), validate: (text) => options.validate(d, text.trim()) }),
    (d, text) => options.keep(d, text.trim()));
}

/**
 * A typed answer that is one field of the setting (`change` says how it goes into the draft):
 * checked by what the settings loader would say of that field. `optional`: empty is fine.
 */
export function fieldStep(options: {
  applies?: (d: Draft) => boolean;
  field: string;
  subject: string;
  optional?: boolean;
  question: (d: Draft) => Omit<Question<InputRequest>, 'validate'>;
  change: (d: Draft, text: string) => Partial<Draft>;
}): Step {
  return inputStep({
    applies: options.applies,
    question: options.question,
    validate: (d, text) => (options.optional && !text ? undefined : sentence(options.subject, problemOf(d, options.field, options.change(d, text)))),
    keep: (d, text) => {
      Object.assign(d, options.change(d, text));
    },
  });
}

export function pickStep<T>(options: { applies?: (d: Draft) => boolean; question: (d: Draft) => Question<PickRequest<T>>; keep: (d: Draft, value: T) => void }): Step {
  return step<T>(options.applies ?? always, (d, prompts, position) => prompts.pick<T>({ ...position, ...options.question(d) }), options.keep);
}

/** A pick whose answer is the draft's `key`, which is also the item selected when it opens. */
export function choiceStep<K extends 'vscodeProvider' | 'credential'>(key: K, options: {
  applies: (d: Draft) => boolean; placeholder: string; items: PickRequest<Draft[K]>['items'];
}): Step {
  return pickStep<Draft[K]>({
    applies: options.applies,
    question: (d) => ({ placeholder: options.placeholder, items: options.items, active: d[key] }),
    keep: (d, value) => {
      d[key] = value;
    },
  });
}

export function pickManyStep<T>(options: { question: (d: Draft) => Question<PickManyRequest<T>>; keep: (d: Draft, values: T[]) => void }): Step {
  return step<T[]>(always, (d, prompts, position) => prompts.pickMany<T>({ ...position, ...options.question(d) }), options.keep);
}
