import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './table.css';

/**
 * A data table that scrolls sideways on a narrow screen instead of widening the page. The scrolling
 * box is a named, focusable region so that keyboard users can scroll it too; the caption names both.
 * `children` are the body's rows; with `actions`, a last column (its header named for screen readers
 * only) holds each row's buttons.
 */
export function DataTable({
  id,
  caption,
  columns,
  actions = false,
  children,
}: {
  id: string;
  caption: string;
  columns: readonly string[];
  actions?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table className="data-table">
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
