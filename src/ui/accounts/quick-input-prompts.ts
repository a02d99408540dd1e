import * as vscode from 'vscode';
import { Answer, BACK, InputRequest, PickManyRequest, PickRequest, StepPosition, WizardPrompts } from './prompts';

type Item<T> = vscode.QuickPickItem & { value: T };

let browseButton: vscode.QuickInputButton | undefined;
const browse = () => (browseButton ??= { iconPath: new vscode.ThemeIcon('folder-opened'), tooltip: 'Browse…' });

function place(input: vscode.QuickInput, position: StepPosition): void {
  input.title = position.title;
  input.step = position.step;
  input.totalSteps = position.totalSteps;
  input.ignoreFocusOut = true;
}

/** The wizard's questions asked with VS Code's QuickInput: step count, Back button, validation under the input. */
export class QuickInputPrompts implements WizardPrompts {
  input(request: InputRequest): Promise<Answer<string>> {
    const box = vscode.window.createInputBox();
    place(box, request);
    box.prompt = request.prompt;
    box.placeholder = request.placeholder;
    box.value = request.value ?? '';
    box.password = request.password ?? false;
    box.buttons = [...(request.step > 1 ? [vscode.QuickInputButtons.Back] : []), ...(request.browseFiles ? [browse()] : [])];
    const check = () => {
      // Empty input is not scolded before the user typed; accepting it still is.
      box.validationMessage = box.value ? request.validate(box.value) : undefined;
    };
    check();
    return new Promise((resolve) => {
      let browsing = false;
      const finish = (answer: Answer<string>) => {
        disposables.forEach((d) => d.dispose());
        box.dispose();
        resolve(answer);
      };
      const disposables = [
        box.onDidChangeValue(check),
        box.onDidAccept(() => {
          const problem = request.validate(box.value);
          box.validationMessage = problem;
          if (!problem) finish(box.value);
        }),
        box.onDidTriggerButton(async (button) => {
          if (button === vscode.QuickInputButtons.Back) return finish(BACK);
          if (!request.browseFiles) return;
          // The file dialog may itself be a quick input (web, code-server), which hides this one.
          browsing = true;
          const picked = await vscode.window.showOpenDialog({
            canSelectFiles: true, canSelectFolders: false, canSelectMany: false,
            title: request.browseFiles.label, openLabel: 'Choose', filters: request.browseFiles.filters,
          });
          browsing = false;
          if (picked?.[0]) box.value = picked[0].fsPath;
          check();
          box.show();
        }),
        box.onDidHide(() => {
          if (!browsing) finish(undefined);
        }),
      ];
      box.show();
    });
  }

  pick<T>(request: PickRequest<T>): Promise<Answer<T>> {
    return this.quickPick(request, false, () => undefined).then((answer) => (Array.isArray(answer) ? answer[0] : answer));
  }

  pickMany<T>(request: PickManyRequest<T>): Promise<Answer<T[]>> {
    return this.quickPick(request, true, request.validate);
  }

  private quickPick<T>(request: PickRequest<T> & { selected?: T[] }, many: boolean, validate: (values: T[]) => string | undefined): Promise<Answer<T[]>> {
    const pick = vscode.window.createQuickPick<Item<T>>();
    place(pick, request);
    pick.placeholder = request.placeholder;
    pick.canSelectMany = many;
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.buttons = request.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    const items = request.items.map((i): Item<T> => ({ label: i.label, description: i.description, detail: i.detail, value: i.value }));
    pick.items = items;
    if (many) pick.selectedItems = items.filter((i) => request.selected?.includes(i.value));
    else pick.activeItems = items.filter((i) => i.value === request.active);
    return new Promise((resolve) => {
      const finish = (answer: Answer<T[]>) => {
        disposables.forEach((d) => d.dispose());
        pick.dispose();
        resolve(answer);
      };
      const disposables = [
        pick.onDidAccept(() => {
          const chosen = (many ? pick.selectedItems : pick.activeItems.slice(0, 1)).map((i) => i.value);
          const problem = chosen.length ? validate(chosen) : (many ? validate(chosen) : 'Pick one of the items');
          if (problem) {
            pick.placeholder = problem;
            return;
          }
          finish(chosen);
        }),
        pick.onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) finish(BACK);
        }),
        pick.onDidHide(() => finish(undefined)),
      ];
      pick.show();
    });
  }
}
