import { ActivityList } from './activities/ActivityList.tsx';

export function App() {
  return (
    <>
      <header className="site-header">
        <h1>Mergington High School</h1>
        <p>Extracurricular activities</p>
      </header>
      <main>
        <ActivityList />
      </main>
    </>
  );
}
