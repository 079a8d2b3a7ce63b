/** Small shapes shared by the template services. */

/**
 * The technologies of a `tech_stack` JSON (`{"frontend": ["react", "vite"], "language": "typescript"}` or a
 * plain list) as labels, first seen first, at most 12.
 */
export function techStackLabels(techStack: unknown): string[] {
  const labels = new Set<string>();
  const visit = (value: unknown) => {
    if (labels.size >= 12) return;
    if (typeof value === "string" && value.trim() !== "") labels.add(value.trim().slice(0, 40));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(techStack);
  return [...labels];
}
