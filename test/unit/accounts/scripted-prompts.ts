import { Answer, BACK, InputRequest, PickManyRequest, PickRequest, WizardPrompts } from '../../../src/ui/accounts/prompts';

/** `null` presses Escape, BACK the back button; a string is typed (input) or picked by value (pick). */
export type ScriptedAnswer = string | string[] | typeof BACK | null;

export interface AskedStep {
  kind: 'input' | 'pick' | 'pickMany';
  step: number;
  totalSteps: number;
  text: string;
  value?: string;
}

/**
 * Answers the Add Account wizard from a script, as a person would: an input the step refuses
 * stays open (its message is recorded in `refusals`) and takes the next scripted answer.
 */
export class ScriptedPrompts implements WizardPrompts {
  readonly asked: AskedStep[] = [];
  readonly refusals: string[] = [];
  private readonly answers: ScriptedAnswer[];

  constructor(answers: ScriptedAnswer[]) {
    this.answers = [...answers];
  }

  get unused(): number {
    return this.answers.length;
  }

  private next(what: string): ScriptedAnswer {
    if (this.answers.length === 0) throw new Error(`the wizard asked more than the script answers: ${what}`);
    return this.answers.shift() as ScriptedAnswer;
  }

  async input(request: InputRequest): Promise<Answer<string>> {
    this.asked.push({ kind: 'input', step: request.step, totalSteps: request.totalSteps, text: request.prompt, value: request.value });
    for (;;) {
      const answer = this.next(request.prompt);
      if (answer === null) return undefined;
      if (answer === BACK) return BACK;
      if (typeof answer !== 'string') throw new Error(`"${request.prompt}" is an input, the script gave ${JSON.stringify(answer)}`);
      const problem = request.validate(answer);
      if (!problem) return answer;
      this.refusals.push(problem);
    }
  }

  async pick<T>(request: PickRequest<T>): Promise<Answer<T>> {
    this.asked.push({ kind: 'pick', step: request.step, totalSteps: request.totalSteps, text: request.placeholder, value: String(request.active) });
    const answer = this.next(request.placeholder);
    if (answer === null) return undefined;
    if (answer === BACK) return BACK;
    const item = request.items.find((i) => String(i.value) === answer || i.label === answer);
    if (!item) throw new Error(`"${request.placeholder}" offers ${request.items.map((i) => String(i.value)).join(', ')}, not ${JSON.stringify(answer)}`);
    return item.value;
  }

  async pickMany<T>(request: PickManyRequest<T>): Promise<Answer<T[]>> {
    this.asked.push({ kind: 'pickMany', step: request.step, totalSteps: request.totalSteps, text: request.placeholder, value: request.selected.join(',') });
    for (;;) {
      const answer = this.next(request.placeholder);
      if (answer === null) return undefined;
      if (answer === BACK) return BACK;
      const wanted = Array.isArray(answer) ? answer : [answer];
      const values = request.items.filter((i) => wanted.includes(String(i.value))).map((i) => i.value);
      const problem = request.validate(values);
      if (!problem) return values;
      this.refusals.push(problem);
    }
  }
}
