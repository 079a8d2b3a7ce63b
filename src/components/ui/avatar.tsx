import { cn } from "~/lib/cn";
import { avatarInitials } from "~/lib/format";

/** The user's picture, or their initials on a colour derived from their name. */
export function Avatar({
  name,
  url,
  size = 32,
  className,
}: {
  name: string;
  url?: string | null;
  size?: number;
  className?: string;
}) {
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4) };
  if (url) {
    return (
      // eslint-disable-next-line @next/next/no-img-element -- user-supplied URLs on any host; next/image would need each host configured
      <img
        src={url}
        alt=""
        width={size}
        height={size}
        style={style}
        className={cn("rounded-full object-cover", className)}
      />
    );
  }
  const hue = [...name].reduce((sum, char) => sum + char.charCodeAt(0), 0) % 360;
  return (
    <span
      aria-hidden
      style={{ ...style, backgroundColor: `oklch(0.55 0.12 ${hue})` }}
      className={cn("inline-flex items-center justify-center rounded-full font-semibold text-white", className)}
    >
      {avatarInitials(name)}
    </span>
  );
}
