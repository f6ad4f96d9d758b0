"use client";

// Next needs the boundary's own "use client" module per area; the view is shared.
export { AreaError as default } from "@/components/area-error";
