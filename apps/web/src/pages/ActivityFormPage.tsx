export default function ActivityFormPage({ id }: { id?: number }) {
  return <h1>{id ? 'Edit activity' : 'New activity'}</h1>;
}
