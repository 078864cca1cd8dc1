/**
 * The API's messages about one field. With `announce` they are an alert, read out when they
 * appear: for the answer to an action on this field alone ("+", leaving it, its own Save). A form
 * that reports many fields at once announces one summary instead, and its fields stay quiet.
 */
export function FieldError({ id, messages, announce = false }: { id?: string; messages: readonly string[]; announce?: boolean }) {
  if (messages.length === 0) return null;
  return (
    <div id={id} className="error" role={announce ? 'alert' : undefined}>
      {messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}
