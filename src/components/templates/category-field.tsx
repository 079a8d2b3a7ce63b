import { SelectField } from "~/components/ui/field";
import { TEMPLATE_CATEGORIES, TEMPLATE_CATEGORY_LABELS } from "~/lib/schemas/template";

/** The category of a template, from the fixed list (publish and edit forms). */
export function CategoryField({ defaultValue, error }: { defaultValue: string; error?: string }) {
  return (
    <SelectField label="Category" name="category" defaultValue={defaultValue} error={error}>
      {TEMPLATE_CATEGORIES.map((category) => (
        <option key={category} value={category}>
          {TEMPLATE_CATEGORY_LABELS[category]}
        </option>
      ))}
    </SelectField>
  );
}
