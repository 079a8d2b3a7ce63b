export interface Todo {
  id: string;
  title: string;
  done: boolean;
}

export type TodoAction =
  | { type: "add"; title: string }
  | { type: "toggle"; id: string }
  | { type: "remove"; id: string };

export const initialTodos: Todo[] = [
  { id: "1", title: "Read src/App.tsx", done: true },
  { id: "2", title: "Change something and watch it reload", done: false },
];

export function todosReducer(todos: Todo[], action: TodoAction): Todo[] {
  switch (action.type) {
    case "add":
      return [...todos, { id: crypto.randomUUID(), title: action.title, done: false }];
    case "toggle":
      return todos.map((todo) => (todo.id === action.id ? { ...todo, done: !todo.done } : todo));
    case "remove":
      return todos.filter((todo) => todo.id !== action.id);
  }
}

export function remaining(todos: Todo[]): number {
  return todos.filter((todo) => !todo.done).length;
}
