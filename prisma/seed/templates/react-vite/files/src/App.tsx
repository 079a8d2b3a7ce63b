import { useReducer, useState, type FormEvent } from "react";
import { initialTodos, remaining, todosReducer } from "./lib/todos";

export function App() {
  const [todos, dispatch] = useReducer(todosReducer, initialTodos);
  const [draft, setDraft] = useState("");

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const title = draft.trim();
    if (!title) return;
    dispatch({ type: "add", title });
    setDraft("");
  }

  return (
    <main className="app">
      <h1>Todos</h1>
      <form onSubmit={handleSubmit} className="add-form">
        <label htmlFor="new-todo" className="visually-hidden">
          New todo
        </label>
        <input
          id="new-todo"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="What needs doing?"
          autoComplete="off"
        />
        <button type="submit" disabled={!draft.trim()}>
          Add
        </button>
      </form>

      <ul className="todo-list">
        {todos.map((todo) => (
          <li key={todo.id} className={todo.done ? "done" : undefined}>
            <label>
              <input
                type="checkbox"
                checked={todo.done}
                onChange={() => dispatch({ type: "toggle", id: todo.id })}
              />
              {todo.title}
            </label>
            <button
              type="button"
              aria-label={`Delete ${todo.title}`}
              onClick={() => dispatch({ type: "remove", id: todo.id })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>

      <p className="summary">{remaining(todos)} left</p>
    </main>
  );
}
